namespace CloudNonce.Engine.Tests.Search;

public class SearchTimeSplitTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static CndWorkerReport Worker(double scanStarted, double scanEnded, CndWorkerOutcome outcome) => new()
    {
        LaunchRequested = T0.AddSeconds(5), ScanStarted = T0.AddSeconds(scanStarted), ScanEnded = T0.AddSeconds(scanEnded), Outcome = outcome,
    };

    [Fact]
    public void AFoundSearchScansUntilTheGoldenScanEnded()
    {
        // The golden worker ended at 50 s; the other was stopped with the search at 52 s.
        var split = SearchTimeSplit.Of(T0, TimeSpan.FromSeconds(52),
            [Worker(30, 52, CndWorkerOutcome.Stopped), Worker(25, 50, CndWorkerOutcome.Found)]);
        Assert.Equal((TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(2)),
            (split.TimeToFirstHash, split.ScanningTime, split.ControllerOverhead));
    }

    [Fact]
    public void AnExhaustedSearchScansUntilTheLastScanEnded()
    {
        var split = SearchTimeSplit.Of(T0, TimeSpan.FromSeconds(60),
            [Worker(30, 55, CndWorkerOutcome.Exhausted), Worker(25, 50, CndWorkerOutcome.Exhausted)]);
        Assert.Equal((TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5)),
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
