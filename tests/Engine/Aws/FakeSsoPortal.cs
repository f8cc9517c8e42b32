using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace CloudNonce.Engine.Tests.Aws;

/// <summary>The IAM Identity Center portal's GetRoleCredentials on 127.0.0.1, as the SDK's SSO client
/// calls it (GET /federation/credentials with the bearer token in x-amz-sso_bearer_token). Its
/// SSO-OIDC side refuses every token refresh, as the real one does once the sign-in session is over.</summary>
internal sealed class FakeSsoPortal : IDisposable
{
    public const string AccessKeyId = "ASIAFAKESSOPORTAL";
    public const string SecretAccessKey = "fake-sso-secret";
    public const string SessionToken = "fake-sso-session-token";

    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public string Url { get; }
    /// <summary>What the role credentials answer says; milliseconds, as the portal counts.</summary>
    public DateTimeOffset CredentialsExpireAt { get; } = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds());
    public ConcurrentQueue<(string Method, string PathAndQuery, string? BearerToken)> Requests { get; } = new();

    public FakeSsoPortal()
    {
        Url = $"http://127.0.0.1:{FreeLoopbackPort()}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public IEnumerable<string?> BearerTokensOfCredentialRequests =>
        Requests.Where(r => r.PathAndQuery.StartsWith("/federation/credentials", StringComparison.Ordinal)).Select(r => r.BearerToken);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            using var response = context.Response;
            var request = context.Request;
            Requests.Enqueue((request.HttpMethod, request.Url!.PathAndQuery, request.Headers["x-amz-sso_bearer_token"]));
            var (status, errorType, body) = (request.HttpMethod, request.Url.AbsolutePath) switch
            {
                ("GET", "/federation/credentials") when request.Headers["x-amz-sso_bearer_token"] is not null => (200, null, RoleCredentialsJson()),
                ("GET", "/federation/credentials") => (401, "UnauthorizedException", """{"message":"Session token not found or invalid"}"""),
                ("POST", "/token") => (400, "InvalidGrantException", """{"error":"invalid_grant","error_description":"Invalid refresh token provided"}"""),
                _ => (404, "NotFoundException", """{"message":"not served by the fake portal"}"""),
            };
            response.StatusCode = status;
            response.ContentType = "application/json";
            if (errorType is not null)
                response.Headers["x-amzn-ErrorType"] = errorType;
            var bytes = Encoding.UTF8.GetBytes(body);
            await response.OutputStream.WriteAsync(bytes);
        }
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

    private static int FreeLoopbackPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
