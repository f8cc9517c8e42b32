namespace CloudNonce.Engine.Tests.Search;

public class SearchTimeSplitTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static CndWorkerReport Worker(double scanStarted, double scanEnded, CndWorkerOutcome outcome) => new()
    {
        LaunchRequested = T0.AddSeconds(5), ScanStarted = T0.AddSeconds(scanStarted), ScanEnded = T0.AddSeconds(scanEnded), Outcome = outcome,
    };

    /// <summary>Two workers scanning from <c>startA</c>/<c>startB</c> to <c>endA</c>/<c>endB</c> (seconds after T0):
    /// a found search scans until the golden scan ended (the other worker is stopped with the search, here
    /// at 52 s), an exhausted one until the last scan ended.</summary>
    [Theory]
    [InlineData(52, 30, 52, CndWorkerOutcome.Stopped, 25, 50, CndWorkerOutcome.Found, 25, 25, 2)]
    [InlineData(60, 30, 55, CndWorkerOutcome.Exhausted, 25, 50, CndWorkerOutcome.Exhausted, 25, 30, 5)]
    public void ScanningLastsUntilTheScanThatDecidedTheSearchEnded(double elapsed, double startA, double endA, CndWorkerOutcome outcomeA,
        double startB, double endB, CndWorkerOutcome outcomeB, double toFirstHash, double scanning, double overhead)
    {
        var split = SearchTimeSplit.Of(T0, TimeSpan.FromSeconds(elapsed), [Worker(startA, endA, outcomeA), Worker(startB, endB, outcomeB)]);
        Assert.Equal((TimeSpan.FromSeconds(toFirstHash), TimeSpan.FromSeconds(scanning), TimeSpan.FromSeconds(overhead)),
            (split.TimeToFirstHash, split.ScanningTime, split.ControllerOverhead));
    }

    [Fact]
    public void NothingScannedIsAllOverhead()
    {
        var split = SearchTimeSplit.Of(T0, TimeSpan.FromSeconds(8), [new CndWorkerReport { LaunchRequested = T0.AddSeconds(3), Outcome = CndWorkerOutcome.Stopped }]);
        Assert.Equal((null, TimeSpan.Zero, TimeSpan.FromSeconds(8)), (split.TimeToFirstHash, split.ScanningTime, split.ControllerOverhead));
    }

    [Fact]
    public void ThePartsNeverExceedElapsed()
    {
        // A worker clock slightly ahead must not make the parts add up to more than the search took.
        var split = SearchTimeSplit.Of(T0, TimeSpan.FromSeconds(10), [Worker(4, 10.2, CndWorkerOutcome.Exhausted)]);
        Assert.Equal(TimeSpan.FromSeconds(10), split.TimeToFirstHash + split.ScanningTime + split.ControllerOverhead);
        Assert.Equal(TimeSpan.Zero, split.ControllerOverhead);
    }
}
