using Amazon;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.S3;
using Amazon.SecurityToken;
using Amazon.SimpleSystemsManagement;

namespace CloudNonce.Engine.Aws;

/// <summary>A resolved region, credentials and endpoints, and the one place that turns them into
/// SDK clients. Resolution fails with <see cref="AwsConfigurationException"/> before any call is made.</summary>
public sealed class AwsSession
{
    public string Region { get; }
    public AWSCredentials Credentials { get; }
    public AwsEndpoints Endpoints { get; }
    /// <summary>Where <see cref="Region"/> came from: "-Region", "$StoredAWSRegion", "AWS_REGION"...</summary>
    public string RegionSource { get; }
    /// <summary>Where <see cref="Credentials"/> came from: "-AccessKey", "-Credential", "-ProfileName 'x'",
    /// "$StoredAWSCredentials", "AWS_ACCESS_KEY_ID", "AWS_PROFILE 'x'", "the default profile or chain".</summary>
    public string CredentialSource { get; }
    /// <summary>AWS's time, learnt from the responses of every client made here.</summary>
    public ServerClock Clock { get; private set; } = new(TimeProvider.System);

    /// <summary>The profile the credentials come from; null when they come from elsewhere or, with no
    /// profile named, from the SDK's default chain.</summary>
    private readonly string? _profileName;
    /// <summary>Set when the keys come from the environment, where the SDK knows no expiry.</summary>
    private readonly EnvironmentKeys? _environmentKeys;

    private AwsSession(string region, string regionSource, ResolvedCredentials credentials, AwsEndpoints endpoints)
    {
        Region = region;
        RegionSource = regionSource;
        Credentials = credentials.Credentials;
        CredentialSource = credentials.Source;
        Endpoints = endpoints;
        _profileName = credentials.ProfileName;
        _environmentKeys = credentials.EnvironmentKeys;
    }

    private sealed record ResolvedCredentials(AWSCredentials Credentials, string Source, string? ProfileName = null, EnvironmentKeys? EnvironmentKeys = null);

    /// <summary>The region alone, as <see cref="Resolve"/> would find it, without looking for credentials
    /// (which may reach for an instance's metadata service): what a plan needs for its prices. Null
    /// when none is set; throws <see cref="AwsConfigurationException"/> for a named profile that does not exist.</summary>
    public static string? RegionOf(AwsSettings settings, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var choice = ChooseProfile(settings, environment, ProfileStore(settings.ProfileLocation));
        return RegionFrom(settings, environment, choice)?.Value;
    }

    /// <summary>Resolves region, credentials and endpoints in the order of AWS Tools for PowerShell.
    /// Region: -Region, $StoredAWSRegion, AWS_REGION, AWS_DEFAULT_REGION, the profile's region.
    /// Credentials: -AccessKey/-SecretKey(/-SessionToken), -Credential, -ProfileName/-ProfileLocation,
    /// $StoredAWSCredentials, the AWS_ACCESS_KEY_ID keys, AWS_PROFILE, then the SDK's default chain
    /// (the default profile, container and instance credentials). Endpoints: see <see cref="AwsEndpoints"/>.</summary>
    public static AwsSession Resolve(AwsSettings settings, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var literalKeys = LiteralKeys(settings);
        var profiles = ProfileStore(settings.ProfileLocation);
        var choice = ChooseProfile(settings, environment, profiles);
        var (namedProfile, profileName, profile) = choice;

        var (region, regionSource) = RegionFrom(settings, environment, choice)
            ?? throw new AwsConfigurationException(
                "No AWS region is set: pass -Region, run Set-DefaultAWSRegion (which sets $StoredAWSRegion), set AWS_REGION, " +
                "or put a region in the AWS profile" + (profileName is null ? "." : $" '{profileName}'."));
        var endpoints = new AwsEndpoints(settings.EndpointUrl, profile?.EndpointUrl, environment);

        var credentials = literalKeys is not null ? new ResolvedCredentials(literalKeys, "-AccessKey")
            : settings.Credential is not null ? new ResolvedCredentials(settings.Credential, "-Credential")
            : namedProfile is not null ? ProfileCredentials(namedProfile, profile, profiles, settings.ProfileLocation,
                settings.ProfileName is null ? $"-ProfileLocation '{settings.ProfileLocation}'" : $"-ProfileName '{namedProfile}'")
            : settings.SessionCredentials is not null ? new ResolvedCredentials(settings.SessionCredentials, "$StoredAWSCredentials")
            : EnvironmentKeys.From(environment) is { } keys ? new ResolvedCredentials(keys.Credentials, "AWS_ACCESS_KEY_ID", EnvironmentKeys: keys)
            : profileName is not null ? ProfileCredentials(profileName, profile, profiles, null, $"AWS_PROFILE '{profileName}'")
            : DefaultChainCredentials();
        return new AwsSession(region, regionSource, credentials, endpoints);
    }

    /// <summary>Where the session's calls go, to label what was measured there: an emulator's figures
    /// must not pass for real EC2's.</summary>
    public string Location => Endpoints.For("EC2") is { } url ? $"endpoint {url}" : $"AWS {Region}";

    /// <summary>Obtains the credentials now (an SSO profile asks the portal, a credential_process runs)
    /// and says how long they last, so that nothing outlives them unnoticed. Fails with
    /// <see cref="AwsConfigurationException"/> when they cannot be obtained, saying what to do (an SSO
    /// sign-in that is missing or has expired: "run aws sso login --profile X").</summary>
    public async Task<CredentialLifetime> CredentialLifetimeAsync(CancellationToken ct)
    {
        ImmutableCredentials resolved;
        try
        {
            resolved = await Credentials.GetCredentialsAsync().WaitAsync(ct);
        }
        catch (Exception e) when (e is AmazonClientException or AmazonServiceException or ProcessAWSCredentialException)
        {
            throw CredentialsUnavailable(e);
        }
        return _environmentKeys?.Lifetime ?? CredentialLifetime.Of(Credentials, resolved);
    }

    private AwsConfigurationException CredentialsUnavailable(Exception e)
    {
        if (Credentials is SSOAWSCredentials)
        {
            var profile = _profileName ?? "default";
            return new AwsConfigurationException(
                $"The IAM Identity Center (SSO) sign-in of the AWS profile '{profile}' is missing or has expired: " +
                $"run 'aws sso login --profile {profile}' and try again. ({e.Message})", e);
        }
        return new AwsConfigurationException(
            $"The AWS credentials ({CredentialLifetime.SourceOf(Credentials)}" + (_profileName is null ? "" : $" of the profile '{_profileName}'") +
            $") could not be obtained: {e.Message}", e);
    }

    /// <summary>Bases <see cref="Clock"/> on another local clock (a host's own time source, or a test's).
    /// Clients made afterwards report to the new clock.</summary>
    public AwsSession WithLocalClock(TimeProvider local)
    {
        Clock = new ServerClock(local);
        return this;
    }

    // Every client is watched so that a refusal for lack of permission can name the refused action.
    public AmazonEC2Client Ec2() => AwsPermissionError.Watch(new AmazonEC2Client(Credentials, Configure(new AmazonEC2Config(), "EC2")));
    public AmazonSimpleSystemsManagementClient Ssm() =>
        AwsPermissionError.Watch(new AmazonSimpleSystemsManagementClient(Credentials, Configure(new AmazonSimpleSystemsManagementConfig(), "SSM")));
    public AmazonSecurityTokenServiceClient Sts() =>
        AwsPermissionError.Watch(new AmazonSecurityTokenServiceClient(Credentials, Configure(new AmazonSecurityTokenServiceConfig(), "STS")));

    public AmazonS3Client S3()
    {
        var config = Configure(new AmazonS3Config(), "S3");
        // S3-compatible stores and loopback emulators have no per-bucket host names.
        config.ForcePathStyle = config.ServiceURL is not null;
        return AwsPermissionError.Watch(new AmazonS3Client(Credentials, config));
    }

    /// <summary>Whether presigned S3 URLs must say http: the configured S3 endpoint is plain http.</summary>
    public bool S3UsesHttp => Endpoints.For("S3")?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true;

    private T Configure<T>(T config, string serviceId) where T : ClientConfig
    {
        // Our own resolution is the only one, so the SDK must not swap in another endpoint behind it.
        config.IgnoreConfiguredEndpointUrls = true;
        config.HttpClientFactory = Clock.HttpClientFactory();
        var url = Endpoints.For(serviceId);
        if (url is null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(Region);
        }
        else
        {
            config.ServiceURL = url;
            // Without it the SDK signs for us-east-1 and the endpoint files everything there.
            config.AuthenticationRegion = Region;
        }
        return config;
    }

    /// <summary>Keys given on the command line; a key without its other half is a mistake, not a
    /// reason to look elsewhere.</summary>
    private static AWSCredentials? LiteralKeys(AwsSettings settings)
    {
        var (accessKey, secretKey, token) = (FirstSet(settings.AccessKey), FirstSet(settings.SecretKey), FirstSet(settings.SessionToken));
        if (accessKey is null && secretKey is null && token is null)
            return null;
        if (accessKey is null || secretKey is null)
            throw new AwsConfigurationException(
                $"-AccessKey and -SecretKey go together (and -SessionToken needs both): {(accessKey is null ? "-AccessKey" : "-SecretKey")} is missing.");
        return token is null ? new BasicAWSCredentials(accessKey, secretKey) : new SessionAWSCredentials(accessKey, secretKey, token);
    }

    private static AwsConfigurationException ProfileNotFound(string profileName, string? profileLocation) =>
        new($"The AWS profile '{profileName}' was not found in " +
            (profileLocation is null ? "the shared config or credentials files." : $"-ProfileLocation '{profileLocation}'."));

    private static CredentialProfileStoreChain ProfileStore(string? profileLocation)
    {
        if (profileLocation is null)
            return new CredentialProfileStoreChain();
        if (!File.Exists(profileLocation))
            throw new AwsConfigurationException($"-ProfileLocation '{profileLocation}' is not a file: give the path of a shared credentials file.");
        return new CredentialProfileStoreChain(Path.GetFullPath(profileLocation));
    }

    private static ResolvedCredentials ProfileCredentials(string profileName, CredentialProfile? profile, CredentialProfileStoreChain profiles,
        string? profileLocation, string source)
    {
        if (profile is null)
            throw ProfileNotFound(profileName, profileLocation);
        if (profile is not null && profile.CanCreateAWSCredentials && profiles.TryGetAWSCredentials(profileName, out var fromProfile))
            return new ResolvedCredentials(fromProfile, source, profileName);
        throw new AwsConfigurationException($"The AWS profile '{profileName}' holds no usable credentials.");
    }

    private static ResolvedCredentials DefaultChainCredentials()
    {
        try
        {
            return new ResolvedCredentials(DefaultAWSCredentialsIdentityResolver.GetCredentials(), "the default profile or chain");
        }
        catch (AmazonClientException e)
        {
            throw new AwsConfigurationException(
                "No AWS credentials were found: pass -ProfileName or -Credential, run Set-AWSCredential, set AWS_PROFILE, or set " +
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or configure ~/.aws/credentials). " + e.Message, e);
        }
    }

    /// <summary>Which profile the settings name: to the cmdlet (-ProfileName, or -ProfileLocation
    /// alone, which means that file's default profile, as in AWS Tools), else in AWS_PROFILE, else
    /// the default profile when it exists.</summary>
    private sealed record ProfileChoice(string? NamedProfile, string? ProfileName, CredentialProfile? Profile);

    private static ProfileChoice ChooseProfile(AwsSettings settings, Func<string, string?> environment, CredentialProfileStoreChain profiles)
    {
        var namedProfile = FirstSet(settings.ProfileName) ?? (settings.ProfileLocation is null ? null : "default");
        var profileName = namedProfile ?? FirstSet(environment("AWS_PROFILE"));
        CredentialProfile? profile = null;
        // A profile named to the cmdlet must exist; one named by AWS_PROFILE matters only when nothing
        // before it in the order gives the credentials (ProfileCredentials then says it is missing).
        if (profileName is not null && !profiles.TryGetProfile(profileName, out profile) && namedProfile is not null)
            throw ProfileNotFound(profileName, settings.ProfileLocation);
        if (profileName is null)
            profiles.TryGetProfile("default", out profile);
        return new ProfileChoice(namedProfile, profileName, profile);
    }

    private static (string Value, string Source)? RegionFrom(AwsSettings settings, Func<string, string?> environment, ProfileChoice choice) =>
        First(
            (settings.Region, "-Region"),
            (settings.SessionRegion, "$StoredAWSRegion"),
            (environment("AWS_REGION"), "AWS_REGION"),
            (environment("AWS_DEFAULT_REGION"), "AWS_DEFAULT_REGION"),
            (choice.Profile?.Region?.SystemName, $"the region of the AWS profile '{choice.ProfileName ?? "default"}'"));

    private static (string Value, string Source)? First(params (string? Value, string Source)[] candidates) =>
        candidates.Where(c => !string.IsNullOrWhiteSpace(c.Value)).Select(c => ((string Value, string Source)?)(c.Value!.Trim(), c.Source)).FirstOrDefault();

    private static string? FirstSet(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
}
