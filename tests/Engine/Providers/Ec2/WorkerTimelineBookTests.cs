namespace CloudNonce.Engine.Tests.Providers.Ec2;

public class WorkerTimelineBookTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static double Unix(DateTimeOffset t) => (t - DateTimeOffset.UnixEpoch).TotalSeconds;

    private static WorkerTimeline Steps(double booted, double? scanEnded = null) => new()
    {
        Booted = Unix(T0.AddSeconds(booted)),
        ScannerDownloaded = Unix(T0.AddSeconds(booted + 1)),
        ScannerVerified = Unix(T0.AddSeconds(booted + 1.5)),
        ScanStarted = Unix(T0.AddSeconds(booted + 2)),
        ScanEnded = scanEnded is { } end ? Unix(T0.AddSeconds(end)) : null,
    };

    [Fact]
    public void JoinsTheControllersTimesWithTheWorkersOwn()
    {
        var book = new SlotBook(SlotRange.Split(0, 999, 1), 3);
        var timelines = new WorkerTimelineBook();
        timelines.RecordLaunch(book[0], "i-0", "c7i.large", spot: true, requested: T0);
        timelines.RecordRunning("i-0", T0.AddSeconds(5));
        timelines.RecordRunning("i-0", T0.AddSeconds(6));
        timelines.RecordProgress(0, 0, new WorkerProgress { Hashes = 0, Timeline = Steps(20) }, T0.AddSeconds(23));
        timelines.RecordProgress(0, 0, new WorkerProgress { Hashes = 500, NoncesPerSecond = 100, Timeline = Steps(20) }, T0.AddSeconds(28));
        timelines.RecordResult(0, 0, new WorkerResult { Scan = new ScannerResultLine { Status = "exhausted", Hashes = 1000, NoncesPerSecond = 120 }, Timeline = Steps(20, scanEnded: 30) }, T0.AddSeconds(31));

        var report = Assert.Single(timelines.Reports(T0.AddSeconds(40)));
        Assert.Equal(("i-0", "c7i.large", true, 0u, 999u), (report.InstanceId, report.InstanceType, report.Spot, report.NonceStart, report.NonceEnd));
        Assert.Equal(T0, report.LaunchRequested);
        Assert.Equal(T0.AddSeconds(5), report.Running);
        Assert.Equal(T0.AddSeconds(23), report.FirstReport);
        Assert.Equal(T0.AddSeconds(20), report.Booted);
        Assert.Equal(T0.AddSeconds(21.5), report.ScannerVerified);
        Assert.Equal(T0.AddSeconds(30), report.ScanEnded);
        Assert.Equal((1000UL, 120.0, CndWorkerOutcome.Exhausted), (report.Nonces, report.NoncesPerSecond, report.Outcome));
        Assert.Equal(TimeSpan.FromSeconds(22), report.TimeToFirstHash);
        Assert.Equal(TimeSpan.FromSeconds(8), report.ScanTime);
    }

    [Fact]
    public void ALostAttemptEndsWhenTheControllerGaveUpAndItsRelaunchIsAnotherEntry()
    {
        var book = new SlotBook(SlotRange.Split(0, 999, 1), 3);
        var timelines = new WorkerTimelineBook();
        timelines.RecordLaunch(book[0], "i-0", "c7i.large", false, T0);
        book.RecordLaunch(book[0], "i-0", T0);
        timelines.RecordProgress(0, 0, new WorkerProgress { NextNonce = 400, Hashes = 400, Timeline = Steps(2) }, T0.AddSeconds(5));
        timelines.RecordLoss(0, 0, "instance i-0 sent no progress for 30 s", T0.AddSeconds(40));
        book.RecordProgress(0, 0, new WorkerProgress { NextNonce = 400 }, T0.AddSeconds(5));
        book.RecordLoss(book[0], "silent");
        timelines.RecordLaunch(book[0], "i-1", "c7i.large", false, T0.AddSeconds(41));

        var reports = timelines.Reports(T0.AddSeconds(60));
        Assert.Equal(2, reports.Count);
        Assert.Equal((CndWorkerOutcome.Lost, T0.AddSeconds(40), T0.AddSeconds(5)), (reports[0].Outcome, reports[0].ScanEnded, reports[0].Running));
        Assert.Contains("no progress", reports[0].Detail);
        Assert.Equal((1, 400u, CndWorkerOutcome.Stopped), (reports[1].Attempt, reports[1].NonceStart, reports[1].Outcome));
        Assert.Null(reports[1].ScanStarted);
        Assert.Null(reports[1].ScanEnded);
        Assert.Null(reports[1].TimeToFirstHash);
    }

    [Fact]
    public void AWorkerStillScanningWhenTheSearchStopsEndsThen()
    {
        var book = new SlotBook(SlotRange.Split(0, 999, 1), 3);
        var timelines = new WorkerTimelineBook();
        timelines.RecordLaunch(book[0], "i-0", "c7i.large", false, T0);
        timelines.RecordProgress(0, 0, new WorkerProgress { Hashes = 10, Timeline = Steps(2) }, T0.AddSeconds(5));
        var report = Assert.Single(timelines.Reports(T0.AddSeconds(9)));
        Assert.Equal((CndWorkerOutcome.Stopped, T0.AddSeconds(9)), (report.Outcome, report.ScanEnded));
    }

    [Fact]
    public void IgnoresReportsOfAttemptsItDidNotLaunch()
    {
        var timelines = new WorkerTimelineBook();
        timelines.RecordProgress(3, 0, new WorkerProgress { Hashes = 10 }, T0);
        timelines.RecordLoss(3, 0, "gone", T0);
        Assert.Empty(timelines.Reports(T0));
    }
}
