namespace CloudNonce.Engine.Tests.Providers.Ec2;

public class LaunchBackoffTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void DoublesPerRefusalUpToTheMaximum()
    {
        var backoff = new LaunchBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
        Assert.Equal([2, 4, 8, 10, 10], Enumerable.Range(0, 5).Select(_ => backoff.Failed(T0).TotalSeconds));
        Assert.Equal(5, backoff.Failures);
    }

    [Fact]
    public void WaitsFromTheRefusalOnAndResetsOnAFullLaunch()
    {
        var backoff = new LaunchBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60));
        Assert.True(backoff.Ready(T0));
        backoff.Failed(T0);
        Assert.False(backoff.Ready(T0 + TimeSpan.FromSeconds(1.9)));
        Assert.True(backoff.Ready(T0 + TimeSpan.FromSeconds(2)));
        backoff.Failed(T0 + TimeSpan.FromSeconds(2));
        Assert.False(backoff.Ready(T0 + TimeSpan.FromSeconds(5)));
        Assert.True(backoff.Ready(T0 + TimeSpan.FromSeconds(6)));

        backoff.Succeeded();
        Assert.True(backoff.Ready(T0));
        Assert.Equal(2, backoff.Failed(T0).TotalSeconds);
    }

    [Fact]
    public void ManyRefusalsDoNotOverflow() =>
        Assert.Equal(60, new LaunchBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60)).Delay(5000).TotalSeconds);

    [Fact]
    public void RejectsNonsense()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LaunchBackoff(TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LaunchBackoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)));
    }
}
