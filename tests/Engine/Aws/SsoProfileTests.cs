namespace CloudNonce.Engine.Tests.Aws;

/// <summary>IAM Identity Center profiles resolved end to end: the config and the cached token as
/// `aws sso login` leaves them, the SDK's own SSO client sent to a loopback portal through the standard
/// AWS_ENDPOINT_URL_SSO and AWS_ENDPOINT_URL_SSO_OIDC variables, as any AWS tool would be.</summary>
[Collection(SerialCollection.Name)]
public sealed class SsoProfileTests : IDisposable
{
    private const string StartUrl = "https://cnd-test.awsapps.com/start";
    private const string SsoRegion = "eu-west-1";
    private const string AccountId = "111122223333";
    private const string RoleName = "CloudNonceOperator";
    private const string BearerToken = "cached-bearer-token-from-aws-sso-login";

    private readonly AwsConfigSandbox _sandbox = new();
    private readonly FakeSsoPortal _portal = new();
    // Unique names: the SDK may keep what it resolved per profile and per session for the process.
    private readonly string _profile = "cnd-sso-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _session = "cnd-session-" + Guid.NewGuid().ToString("N")[..8];

    public SsoProfileTests()
    {
        _sandbox.Set("AWS_ENDPOINT_URL_SSO", _portal.Url);
        _sandbox.Set("AWS_ENDPOINT_URL_SSO_OIDC", _portal.Url);
    }

    [Theory]
    [InlineData(true)]  // sso_session, as `aws configure sso` writes today
    [InlineData(false)] // legacy: sso_start_url and sso_region in the profile itself
    public async Task AnSsoProfileResolvesToTheRoleCredentialsOfThePortal(bool withSsoSession)
    {
        WriteSsoProfile(withSsoSession);
        _sandbox.WriteSsoToken(withSsoSession ? _session : null, StartUrl, SsoRegion, BearerToken, DateTimeOffset.UtcNow.AddHours(8));

        var session = AwsSession.Resolve(new AwsSettings(ProfileName: _profile));
        var credentials = await session.Credentials.GetCredentialsAsync();
        var lifetime = await session.CredentialLifetimeAsync(CancellationToken.None);

        Assert.Equal("eu-west-2", session.Region);
        Assert.Equal((FakeSsoPortal.AccessKeyId, FakeSsoPortal.SecretAccessKey, FakeSsoPortal.SessionToken),
            (credentials.AccessKey, credentials.SecretKey, credentials.Token));
        Assert.Equal([BearerToken], _portal.BearerTokensOfCredentialRequests.Distinct());
        Assert.Contains(_portal.Requests, r => r.PathAndQuery.Contains($"account_id={AccountId}") && r.PathAndQuery.Contains($"role_name={RoleName}"));
        Assert.Equal(new CredentialLifetime(true, _portal.CredentialsExpireAt, "SSO"), lifetime);
    }

    [Fact]
    public async Task WithoutACachedTokenTheErrorSaysToSignIn()
    {
        WriteSsoProfile(withSsoSession: true);

        var session = AwsSession.Resolve(new AwsSettings(ProfileName: _profile));
        var e = await Assert.ThrowsAsync<AwsConfigurationException>(() => session.CredentialLifetimeAsync(CancellationToken.None));

        Assert.Contains($"aws sso login --profile {_profile}", e.Message);
        Assert.Empty(_portal.BearerTokensOfCredentialRequests);
    }

    [Fact]
    public async Task AnExpiredTokenThatCannotBeRefreshedSaysToSignIn()
    {
        WriteSsoProfile(withSsoSession: true);
        _sandbox.WriteSsoToken(_session, StartUrl, SsoRegion, BearerToken, DateTimeOffset.UtcNow.AddMinutes(-5));

        var session = AwsSession.Resolve(new AwsSettings(ProfileName: _profile));
        var e = await Assert.ThrowsAsync<AwsConfigurationException>(() => session.CredentialLifetimeAsync(CancellationToken.None));

        Assert.Contains($"aws sso login --profile {_profile}", e.Message);
        Assert.Contains(_portal.Requests, r => r is { Method: "POST", PathAndQuery: "/token" }); // the SDK tried to refresh, and was refused
        Assert.Empty(_portal.BearerTokensOfCredentialRequests);
    }

    private void WriteSsoProfile(bool withSsoSession) =>
        _sandbox.WriteConfig(withSsoSession
            ? $"""
              [profile {_profile}]
              sso_session = {_session}
              sso_account_id = {AccountId}
              sso_role_name = {RoleName}
              region = eu-west-2

              [sso-session {_session}]
              sso_start_url = {StartUrl}
              sso_region = {SsoRegion}
              sso_registration_scopes = sso:account:access
              """
            : $"""
              [profile {_profile}]
              sso_start_url = {StartUrl}
              sso_region = {SsoRegion}
              sso_account_id = {AccountId}
              sso_role_name = {RoleName}
              region = eu-west-2
              """);

    public void Dispose()
    {
        _portal.Dispose();
        _sandbox.Dispose();
    }
}
