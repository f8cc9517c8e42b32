namespace CloudNonce.Engine.Tests.Aws;

/// <summary>Profiles in the test run's shared files (<see cref="TestRunAwsFiles"/>) and a home folder of
/// its own for ~/.aws/sso/cache, where the SDK looks for `aws sso login`'s tokens whatever else is set.
/// The files are emptied and every variable it touches is put back on Dispose; use it only in the
/// serial test collection, since the SDK reads all of this from the process.</summary>
internal sealed class AwsConfigSandbox : IDisposable
{
    /// <summary>Variables that would take credentials, region or endpoints from elsewhere than the sandbox.</summary>
    private static readonly string[] Cleared =
    [
        "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CREDENTIAL_EXPIRATION",
        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SSO", "AWS_ENDPOINT_URL_SSO_OIDC",
        "AWS_ENDPOINT_URL_STS",
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    ];

    private readonly Dictionary<string, string?> _saved = new();
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("cnd-aws-home-");

    public string SsoCacheFolder => Path.Combine(_home.FullName, ".aws", "sso", "cache");

    public AwsConfigSandbox()
    {
        Directory.CreateDirectory(SsoCacheFolder);
        foreach (var name in Cleared)
            Set(name, null);
        Set("HOME", _home.FullName);
        TestRunAwsFiles.Clear();
    }

    /// <summary>Sets a process environment variable until Dispose.</summary>
    public void Set(string name, string? value)
    {
        _saved.TryAdd(name, Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, value);
    }

    public void WriteConfig(string text) => File.WriteAllText(TestRunAwsFiles.ConfigFile, text);
    public void WriteCredentials(string text) => File.WriteAllText(TestRunAwsFiles.CredentialsFile, text);

    /// <summary>The token file `aws sso login` leaves: named by the SHA-1 of the sso-session name (or,
    /// for a legacy profile without one, of the start URL). A session's token also holds what the SDK
    /// needs to refresh it through SSO-OIDC.</summary>
    public void WriteSsoToken(string? sessionName, string startUrl, string ssoRegion, string accessToken, DateTimeOffset expiresAt)
    {
        var token = new Dictionary<string, string>
        {
            ["startUrl"] = startUrl,
            ["region"] = ssoRegion,
            ["accessToken"] = accessToken,
            ["expiresAt"] = expiresAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        };
        if (sessionName is not null)
        {
            token["clientId"] = "fake-client-id";
            token["clientSecret"] = "fake-client-secret";
            token["registrationExpiresAt"] = DateTimeOffset.UtcNow.AddDays(60).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");
            token["refreshToken"] = "fake-refresh-token";
        }
        var name = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(sessionName ?? startUrl)));
        File.WriteAllText(Path.Combine(SsoCacheFolder, name + ".json"), JsonSerializer.Serialize(token));
    }

    /// <summary>An executable shell script in the sandbox, for credential_process.</summary>
    public string WriteScript(string name, string body)
    {
        var path = Path.Combine(_home.FullName, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows()) // the module runs on Linux; the guard only satisfies the platform analyzer
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
            Environment.SetEnvironmentVariable(name, value);
        TestRunAwsFiles.Clear();
        _home.Delete(recursive: true);
    }
}
