using Amazon.Runtime;

namespace CloudNonce.Engine.Aws;

/// <summary>The time as AWS sees it. Workers compare a search's deadline and power-off time with their
/// own clocks, which EC2 keeps in sync; a controller whose clock is off would hand them deadlines
/// already passed (or far off). Every AWS response carries a Date header: this clock follows the local
/// one, shifted by the offset those headers show once it is more than <see cref="Tolerance"/> (the
/// header has one-second resolution, so smaller offsets are noise).</summary>
public sealed class ServerClock(TimeProvider local) : TimeProvider
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(2);

    private long _offsetTicks;

    public TimeProvider Local { get; } = local;

    /// <summary>Server time minus local time, as last observed (zero until an offset beyond the tolerance is seen).</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => Local.GetUtcNow() + Offset;

    public override long GetTimestamp() => Local.GetTimestamp();

    public override long TimestampFrequency => Local.TimestampFrequency;

    /// <summary>Records a response's Date; <paramref name="sentAt"/> and <paramref name="receivedAt"/> are
    /// local times around the request, whose midpoint is the best local estimate of the server's stamp.</summary>
    public void Observe(DateTimeOffset serverDate, DateTimeOffset sentAt, DateTimeOffset receivedAt)
    {
        var local = sentAt + (receivedAt - sentAt) / 2;
        var offset = serverDate - local;
        // The Date header is truncated to the second: half a second is its average bias.
        offset += TimeSpan.FromMilliseconds(500);
        Interlocked.Exchange(ref _offsetTicks, offset.Duration() > Tolerance ? offset.Ticks : 0);
    }

    /// <summary>An HTTP client factory for SDK clients whose responses set this clock.</summary>
    public HttpClientFactory HttpClientFactory() => new ObservingFactory(this);

    private sealed class ObservingFactory(ServerClock clock) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig)
        {
            // As the SDK's own factory sets them; the proxy comes from the environment, as by default.
            var handler = new SocketsHttpHandler { AllowAutoRedirect = clientConfig.AllowAutoRedirect };
            if (clientConfig.MaxConnectionsPerServer is { } connections)
                handler.MaxConnectionsPerServer = connections;
            var client = new HttpClient(new DateObserver(clock, handler));
            if (clientConfig.Timeout is { } timeout)
                client.Timeout = timeout;
            return client;
        }
    }

    private sealed class DateObserver(ServerClock clock, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var sent = clock.Local.GetUtcNow();
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.Headers.Date is { } date)
                clock.Observe(date, sent, clock.Local.GetUtcNow());
            return response;
        }
    }
}
