using Amazon.Runtime;

namespace CloudNonce.Engine.Tests.Aws;

/// <summary>The order in which AwsSession takes region and credentials, that of AWS Tools for PowerShell:
/// each test sets every source, then takes away the winner one at a time and checks the next one wins.</summary>
[Collection(SerialCollection.Name)]
public sealed class AwsSessionResolutionTests : IDisposable
{
    private readonly AwsConfigSandbox _sandbox = new();
    private readonly Dictionary<string, string?> _environment = new();
    private readonly string _profile = "cnd-profile-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public void RegionComesFromTheParameterThenTheSessionThenTheEnvironmentThenTheProfile()
    {
        _sandbox.WriteConfig("[default]\nregion = eu-north-1\n");
        _sandbox.WriteCredentials("[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s\n");
        _environment["AWS_REGION"] = "eu-west-1";
        _environment["AWS_DEFAULT_REGION"] = "eu-west-3";
        var settings = new AwsSettings(Region: "us-west-2") { SessionRegion = "ap-south-1" };

        Assert.Equal(("us-west-2", "-Region"), RegionOf(settings));
        settings = settings with { Region = null };
        Assert.Equal(("ap-south-1", "$StoredAWSRegion"), RegionOf(settings));
        settings = settings with { SessionRegion = null };
        Assert.Equal(("eu-west-1", "AWS_REGION"), RegionOf(settings));
        _environment.Remove("AWS_REGION");
        Assert.Equal(("eu-west-3", "AWS_DEFAULT_REGION"), RegionOf(settings));
        _environment.Remove("AWS_DEFAULT_REGION");
        Assert.Equal(("eu-north-1", "the region of the AWS profile 'default'"), RegionOf(settings));
    }

    [Fact]
    public void CredentialsComeInTheOrderOfAwsToolsForPowerShell()
    {
        _sandbox.WriteCredentials(
            $"[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s\n" +
            $"[{_profile}]\naws_access_key_id = AKIDNAMED\naws_secret_access_key = s\n" +
            $"[{_profile}-env]\naws_access_key_id = AKIDAWSPROFILE\naws_secret_access_key = s\n");
        _environment["AWS_REGION"] = "eu-west-2";
        _environment["AWS_PROFILE"] = _profile + "-env";
        _environment["AWS_ACCESS_KEY_ID"] = "AKIDENVIRONMENT";
        _environment["AWS_SECRET_ACCESS_KEY"] = "s";
        var settings = new AwsSettings(ProfileName: _profile)
        {
            AccessKey = "AKIDLITERAL",
            SecretKey = "s",
            Credential = new BasicAWSCredentials("AKIDOBJECT", "s"),
            SessionCredentials = new BasicAWSCredentials("AKIDSTORED", "s"),
        };

        Assert.Equal(("AKIDLITERAL", "-AccessKey"), KeyOf(settings));
        settings = settings with { AccessKey = null, SecretKey = null };
        Assert.Equal(("AKIDOBJECT", "-Credential"), KeyOf(settings));
        settings = settings with { Credential = null };
        Assert.Equal(("AKIDNAMED", $"-ProfileName '{_profile}'"), KeyOf(settings));
        settings = settings with { ProfileName = null };
        Assert.Equal(("AKIDSTORED", "$StoredAWSCredentials"), KeyOf(settings));
        settings = settings with { SessionCredentials = null };
        Assert.Equal(("AKIDENVIRONMENT", "AWS_ACCESS_KEY_ID"), KeyOf(settings));
        _environment.Remove("AWS_ACCESS_KEY_ID");
        Assert.Equal(("AKIDAWSPROFILE", $"AWS_PROFILE '{_profile}-env'"), KeyOf(settings));
        _environment.Remove("AWS_PROFILE");
        Assert.Equal(("AKIDDEFAULT", "the default profile or chain"), KeyOf(settings));
    }

    [Fact]
    public void LiteralKeysCarryTheirSessionToken()
    {
        _environment["AWS_REGION"] = "eu-west-2";
        var session = Resolve(new AwsSettings { AccessKey = "ASIALITERAL", SecretKey = "s", SessionToken = "tok" });
        var credentials = session.Credentials.GetCredentials();
        Assert.Equal(("ASIALITERAL", "s", "tok"), (credentials.AccessKey, credentials.SecretKey, credentials.Token));
    }

    [Theory]
    [InlineData("AKID", null, null, "-SecretKey is missing")]
    [InlineData(null, "s", null, "-AccessKey is missing")]
    [InlineData(null, null, "tok", "-AccessKey is missing")]
    public void HalfAKeyPairIsAnErrorRatherThanAFallThrough(string? accessKey, string? secretKey, string? token, string message)
    {
        _environment["AWS_REGION"] = "eu-west-2";
        var e = Assert.Throws<AwsConfigurationException>(() => Resolve(new AwsSettings { AccessKey = accessKey, SecretKey = secretKey, SessionToken = token }));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void AProfileLocationAloneMeansThatFilesDefaultProfile()
    {
        var file = Path.Combine(Path.GetDirectoryName(TestRunAwsFiles.CredentialsFile)!, _profile + ".credentials");
        File.WriteAllText(file, $"[default]\naws_access_key_id = AKIDFILEDEFAULT\naws_secret_access_key = s\n[{_profile}]\naws_access_key_id = AKIDFILENAMED\naws_secret_access_key = s\n");
        try
        {
            _environment["AWS_REGION"] = "eu-west-2";
            var stored = new BasicAWSCredentials("AKIDSTORED", "s");
            Assert.Equal(("AKIDFILEDEFAULT", $"-ProfileLocation '{file}'"), KeyOf(new AwsSettings { ProfileLocation = file, SessionCredentials = stored }));
            Assert.Equal(("AKIDFILENAMED", $"-ProfileName '{_profile}'"), KeyOf(new AwsSettings(ProfileName: _profile) { ProfileLocation = file }));
            var e = Assert.Throws<AwsConfigurationException>(() => Resolve(new AwsSettings(ProfileName: "cnd-not-there") { ProfileLocation = file }));
            Assert.Contains(file, e.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void AMissingProfileLocationIsAClearError()
    {
        var e = Assert.Throws<AwsConfigurationException>(() => Resolve(new AwsSettings { ProfileLocation = "/no/such/cnd-credentials" }));
        Assert.Contains("-ProfileLocation '/no/such/cnd-credentials'", e.Message);
    }

    [Fact]
    public void ANamedProfileThatIsMissingDoesNotFallBackToTheSessionsCredentials()
    {
        _environment["AWS_REGION"] = "eu-west-2";
        var settings = new AwsSettings(ProfileName: "cnd-not-there") { SessionCredentials = new BasicAWSCredentials("AKIDSTORED", "s") };
        var e = Assert.Throws<AwsConfigurationException>(() => Resolve(settings));
        Assert.Contains("cnd-not-there", e.Message);
    }

    [Fact]
    public void AMissingAwsProfileMattersOnlyWhenItsTurnComes()
    {
        _environment["AWS_REGION"] = "eu-west-2";
        _environment["AWS_PROFILE"] = "cnd-not-there";
        Assert.Equal(("AKIDSTORED", "$StoredAWSCredentials"), KeyOf(new AwsSettings { SessionCredentials = new BasicAWSCredentials("AKIDSTORED", "s") }));
        var e = Assert.Throws<AwsConfigurationException>(() => Resolve(new AwsSettings()));
        Assert.Contains("'cnd-not-there' was not found", e.Message);
    }

    [Fact]
    public void TheSettingsNeverPrintTheirSecrets()
    {
        var text = new AwsSettings { AccessKey = "AKIDSHOWN", SecretKey = "very-secret", SessionToken = "secret-token" }.ToString();
        Assert.Contains("AKIDSHOWN", text);
        Assert.DoesNotContain("very-secret", text);
        Assert.DoesNotContain("secret-token", text);
    }

    [Fact]
    public void TheLocationNamesTheEndpointOrTheRegion()
    {
        _environment["AWS_REGION"] = "eu-west-2";
        var keys = new AwsSettings { AccessKey = "AKID", SecretKey = "s" };
        Assert.Equal("AWS eu-west-2", Resolve(keys).Location);
        _environment["AWS_ENDPOINT_URL_EC2"] = "http://127.0.0.1:5000";
        Assert.Equal("endpoint http://127.0.0.1:5000", Resolve(keys).Location);
    }

    private AwsSession Resolve(AwsSettings settings) => AwsSession.Resolve(settings, name => _environment.GetValueOrDefault(name));

    private (string, string) RegionOf(AwsSettings settings)
    {
        var session = Resolve(settings);
        return (session.Region, session.RegionSource);
    }

    private (string, string) KeyOf(AwsSettings settings)
    {
        var session = Resolve(settings);
        return (session.Credentials.GetCredentials().AccessKey, session.CredentialSource);
    }

    public void Dispose() => _sandbox.Dispose();
}
