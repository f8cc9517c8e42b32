namespace CloudNonce.Engine.Tests.Aws;

public class ServerClockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void FollowsAwsWhenTheLocalClockIsBehind()
    {
        var local = new ManualClock(T0);
        var clock = new ServerClock(local);
        // The server's Date is 30 s ahead of the local time the request was sent and answered at.
        clock.Observe(T0 + TimeSpan.FromSeconds(30), T0, T0);
        Assert.InRange((clock.GetUtcNow() - T0).TotalSeconds, 29.9, 31);
        local.Advance(TimeSpan.FromSeconds(10));
        Assert.InRange((clock.GetUtcNow() - T0).TotalSeconds, 39.9, 41);
    }

    [Fact]
    public void IgnoresOffsetsWithinTheDateHeadersResolution()
    {
        var clock = new ServerClock(new ManualClock(T0));
        clock.Observe(T0 - TimeSpan.FromSeconds(1), T0, T0 + TimeSpan.FromMilliseconds(200));
        Assert.Equal(TimeSpan.Zero, clock.Offset);
        Assert.Equal(T0, clock.GetUtcNow());
    }

    [Fact]
    public void TakesTheLatestObservation()
    {
        var clock = new ServerClock(new ManualClock(T0));
        clock.Observe(T0 - TimeSpan.FromMinutes(2), T0, T0);
        Assert.True(clock.Offset < TimeSpan.FromSeconds(-100));
        clock.Observe(T0, T0, T0);
        Assert.Equal(TimeSpan.Zero, clock.Offset);
    }
}
