using System.Collections.Concurrent;
using System.Net.Sockets;

namespace CloudNonce.Engine.Tests.Aws;

/// <summary>An HTTP server on 127.0.0.1 that stands in for an AWS endpoint the SDK calls on its own
/// (the SSO portal, STS). Every request is kept, with its body, for the test to check.</summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    public sealed record Request(string Method, string PathAndQuery, WebHeaderCollection Headers, string Body);
    public sealed record Response(int Status, string ContentType, string Body, string? ErrorType = null);

    private readonly HttpListener _listener = new();
    private readonly Func<Request, Response> _answer;
    private readonly Task _serving;

    public string Url { get; }
    public ConcurrentQueue<Request> Requests { get; } = new();

    public LoopbackHttpServer(Func<Request, Response> answer)
    {
        _answer = answer;
        Url = $"http://127.0.0.1:{FreeLoopbackPort()}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            using var response = context.Response;
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var request = new Request(context.Request.HttpMethod, context.Request.Url!.PathAndQuery, (WebHeaderCollection)context.Request.Headers, await reader.ReadToEndAsync());
            Requests.Enqueue(request);
            var answer = _answer(request);
            response.StatusCode = answer.Status;
            response.ContentType = answer.ContentType;
            if (answer.ErrorType is not null)
                response.Headers["x-amzn-ErrorType"] = answer.ErrorType;
            await response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(answer.Body));
        }
    }

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
