namespace CloudNonce.Engine.Tests.Aws;

/// <summary>Keys from the environment: the SDK knows no expiry for them, so AwsSession takes the one
/// `aws configure export-credentials --format env` writes in AWS_CREDENTIAL_EXPIRATION.</summary>
public class EnvironmentCredentialLifetimeTests
{
    [Fact]
    public async Task LongTermKeysAreNotTemporaryAndNeverExpire()
    {
        var lifetime = await LifetimeOf(new());
        Assert.Equal(new CredentialLifetime(false, null, "AWS_ACCESS_KEY_ID"), lifetime);
    }

    [Fact]
    public async Task ASessionTokenAloneIsTemporaryWithAnUnknownEnd()
    {
        var lifetime = await LifetimeOf(new() { ["AWS_SESSION_TOKEN"] = "tok" });
        Assert.Equal(new CredentialLifetime(true, null, "AWS_SESSION_TOKEN"), lifetime);
    }

    [Theory]
    [InlineData("2030-01-31T12:00:00+00:00")] // what the CLI writes
    [InlineData("2030-01-31T12:00:00Z")]
    [InlineData("2030-01-31T13:00:00+01:00")]
    [InlineData("2030-01-31T12:00:00")] // no offset: UTC, as everywhere in AWS
    public async Task TheExpiryComesFromAwsCredentialExpiration(string expiration)
    {
        var lifetime = await LifetimeOf(new() { ["AWS_SESSION_TOKEN"] = "tok", ["AWS_CREDENTIAL_EXPIRATION"] = expiration });
        Assert.Equal(new CredentialLifetime(true, new DateTimeOffset(2030, 1, 31, 12, 0, 0, TimeSpan.Zero), "AWS_CREDENTIAL_EXPIRATION"), lifetime);
    }

    [Theory]
    [InlineData("tomorrow")]
    [InlineData("31/01/2030 12:00")]
    [InlineData("2030-13-45T00:00:00Z")]
    [InlineData("1893456000")] // epoch seconds: not what the CLI writes
    public void AMalformedExpirationIsAClearErrorNamingTheVariable(string expiration)
    {
        var env = KeysWith(new() { ["AWS_SESSION_TOKEN"] = "tok", ["AWS_CREDENTIAL_EXPIRATION"] = expiration });
        var e = Assert.Throws<AwsConfigurationException>(() => AwsSession.Resolve(new AwsSettings(), name => env.GetValueOrDefault(name)));
        Assert.Contains("AWS_CREDENTIAL_EXPIRATION", e.Message);
        Assert.Contains(expiration, e.Message);
    }

    [Fact]
    public void KnownExpiryBeforeAMomentIsWhatRefusesASearch()
    {
        var end = new DateTimeOffset(2030, 1, 31, 12, 0, 0, TimeSpan.Zero);
        var lifetime = new CredentialLifetime(true, end, "SSO");
        Assert.True(lifetime.ExpiresBefore(end.AddSeconds(1)));
        Assert.False(lifetime.ExpiresBefore(end));
        Assert.False(new CredentialLifetime(true, null, "AWS_SESSION_TOKEN").ExpiresBefore(DateTimeOffset.MaxValue));
    }

    private static Task<CredentialLifetime> LifetimeOf(Dictionary<string, string?> variables)
    {
        var env = KeysWith(variables);
        return AwsSession.Resolve(new AwsSettings(), name => env.GetValueOrDefault(name)).CredentialLifetimeAsync(CancellationToken.None);
    }

    private static Dictionary<string, string?> KeysWith(Dictionary<string, string?> variables)
    {
        variables["AWS_REGION"] = "eu-west-2";
        variables["AWS_ACCESS_KEY_ID"] = "AKIDTEST";
        variables["AWS_SECRET_ACCESS_KEY"] = "secret";
        return variables;
    }
}
