namespace CloudNonce.Engine.Tests.Aws;

/// <summary>The IAM Identity Center portal's GetRoleCredentials on 127.0.0.1, as the SDK's SSO client
/// calls it (GET /federation/credentials with the bearer token in x-amz-sso_bearer_token). Its
/// SSO-OIDC side refuses every token refresh, as the real one does once the sign-in session is over.</summary>
internal sealed class FakeSsoPortal : IDisposable
{
    public const string AccessKeyId = "ASIAFAKESSOPORTAL";
    public const string SecretAccessKey = "fake-sso-secret";
    public const string SessionToken = "fake-sso-session-token";
    private const string BearerHeader = "x-amz-sso_bearer_token";

    private readonly LoopbackHttpServer _server;

    /// <summary>What the role credentials answer says; milliseconds, as the portal counts.</summary>
    public DateTimeOffset CredentialsExpireAt { get; } = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds());
    public string Url => _server.Url;
    public IEnumerable<LoopbackHttpServer.Request> Requests => _server.Requests;

    public FakeSsoPortal() => _server = new LoopbackHttpServer(Answer);

    public IEnumerable<string?> BearerTokensOfCredentialRequests =>
        Requests.Where(IsRoleCredentialsRequest).Select(r => r.Headers[BearerHeader]);

    private static bool IsRoleCredentialsRequest(LoopbackHttpServer.Request request) =>
        request.Method == "GET" && request.PathAndQuery.StartsWith("/federation/credentials?", StringComparison.Ordinal);

    private LoopbackHttpServer.Response Answer(LoopbackHttpServer.Request request)
    {
        if (IsRoleCredentialsRequest(request))
            return request.Headers[BearerHeader] is null
                ? new(401, "application/json", """{"message":"Session token not found or invalid"}""", "UnauthorizedException")
                : new(200, "application/json", RoleCredentialsJson());
        if (request is { Method: "POST", PathAndQuery: "/token" })
            return new(400, "application/json", """{"error":"invalid_grant","error_description":"Invalid refresh token provided"}""", "InvalidGrantException");
        return new(404, "application/json", """{"message":"not served by the fake portal"}""", "NotFoundException");
    }

    private string RoleCredentialsJson() =>
        JsonSerializer.Serialize(new
        {
            roleCredentials = new
            {
                accessKeyId = AccessKeyId, secretAccessKey = SecretAccessKey, sessionToken = SessionToken,
                expiration = CredentialsExpireAt.ToUnixTimeMilliseconds(),
            },
        });

    public void Dispose() => _server.Dispose();
}
