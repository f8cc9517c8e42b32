namespace CloudNonce.Engine.Tests.Aws;

/// <summary>Profiles in the shared files; the SSO profile's lifetime is in <see cref="SsoProfileTests"/>.</summary>
[Collection(SerialCollection.Name)]
public sealed class ProfileCredentialLifetimeTests : IDisposable
{
    private readonly AwsConfigSandbox _sandbox = new();
    private readonly string _profile = "cnd-profile-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task ACredentialProcessGivesItsExpiration()
    {
        var declared = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(2).ToUnixTimeSeconds());
        var script = _sandbox.WriteScript("credentials.sh",
            $$"""printf '{"Version":1,"AccessKeyId":"ASIAPROCESS","SecretAccessKey":"s","SessionToken":"process-token","Expiration":"{{declared:yyyy-MM-ddTHH:mm:ssZ}}"}'""");
        _sandbox.WriteConfig($"[profile {_profile}]\nregion = eu-west-2\ncredential_process = {script}\n");

        var lifetime = await AwsSession.Resolve(new AwsSettings(ProfileName: _profile)).CredentialLifetimeAsync(CancellationToken.None);

        Assert.Equal((true, "credential_process"), (lifetime.IsTemporary, lifetime.Source));
        // The SDK reports when it will renew: at most its buffer (a minute) early, never late.
        Assert.NotNull(lifetime.ExpiresAt);
        Assert.InRange(lifetime.ExpiresAt.Value, declared.AddMinutes(-5), declared);
    }

    [Fact]
    public async Task AFailingCredentialProcessIsAClearError()
    {
        var script = _sandbox.WriteScript("credentials.sh", "echo 'token expired, sign in again' >&2; exit 3");
        _sandbox.WriteConfig($"[profile {_profile}]\nregion = eu-west-2\ncredential_process = {script}\n");

        var session = AwsSession.Resolve(new AwsSettings(ProfileName: _profile));
        var e = await Assert.ThrowsAsync<AwsConfigurationException>(() => session.CredentialLifetimeAsync(CancellationToken.None));

        Assert.Contains("credential_process", e.Message);
        Assert.Contains(_profile, e.Message);
    }

    [Fact]
    public async Task AnAssumedRoleGivesTheExpirationOfStsAssumeRole()
    {
        var declared = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(50).ToUnixTimeSeconds());
        using var sts = new LoopbackHttpServer(request => request.Body.Contains("Action=AssumeRole")
            ? new(200, "text/xml", AssumeRoleXml(declared))
            : new(400, "text/xml", "<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>"));
        _sandbox.Set("AWS_ENDPOINT_URL_STS", sts.Url);
        _sandbox.WriteConfig($"""
            [profile {_profile}]
            role_arn = arn:aws:iam::111122223333:role/CloudNonceOperator
            source_profile = {_profile}-source
            region = eu-west-2
            """);
        _sandbox.WriteCredentials($"[{_profile}-source]\naws_access_key_id = AKIDSOURCE\naws_secret_access_key = secret\n");

        var session = AwsSession.Resolve(new AwsSettings(ProfileName: _profile));
        var credentials = await session.Credentials.GetCredentialsAsync();
        var lifetime = await session.CredentialLifetimeAsync(CancellationToken.None);

        Assert.Equal("ASIAASSUMED", credentials.AccessKey);
        Assert.Contains(sts.Requests, r => r.Body.Contains("RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2FCloudNonceOperator"));
        Assert.Equal(new CredentialLifetime(true, declared, "assumed role"), lifetime);
    }

    private static string AssumeRoleXml(DateTimeOffset expiration) => $"""
        <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleResult>
            <Credentials>
              <AccessKeyId>ASIAASSUMED</AccessKeyId>
              <SecretAccessKey>assumed-secret</SecretAccessKey>
              <SessionToken>assumed-token</SessionToken>
              <Expiration>{expiration.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}</Expiration>
            </Credentials>
            <AssumedRoleUser>
              <AssumedRoleId>AROAFAKE:cnd</AssumedRoleId>
              <Arn>arn:aws:sts::111122223333:assumed-role/CloudNonceOperator/cnd</Arn>
            </AssumedRoleUser>
          </AssumeRoleResult>
          <ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata>
        </AssumeRoleResponse>
        """;

    [Fact]
    public async Task LongTermKeysOfAProfileAreNotTemporaryAndNeverExpire()
    {
        _sandbox.WriteConfig($"[profile {_profile}]\nregion = eu-west-2\n");
        _sandbox.WriteCredentials($"[{_profile}]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = secret\n");

        var lifetime = await AwsSession.Resolve(new AwsSettings(ProfileName: _profile)).CredentialLifetimeAsync(CancellationToken.None);

        Assert.Equal(new CredentialLifetime(false, null, "long-term keys"), lifetime);
    }

    public void Dispose() => _sandbox.Dispose();
}
