namespace CloudNonce.Engine.Tests.Providers.Ec2;

public class WorkerReportsTests
{
    [Fact]
    public void ReadsTheBootstrapsProgressObject()
    {
        var progress = WorkerProgress.Parse("""
            {"searchId":"cnd-x","slot":2,"instanceId":"i-0123","launchIndex":1,"nextNonce":3000123456,"hashes":123456,"rate":2.1e7,"seconds":4.2,"time":1764071234}
            """);
        Assert.Equal((2, "i-0123", 1, 3000123456UL, 123456UL, 2.1e7), (progress.Slot, progress.InstanceId, progress.LaunchIndex, progress.NextNonce, progress.Hashes, progress.NoncesPerSecond));
    }

    [Fact]
    public void ReadsAResultWithTheScannersLineUnchanged()
    {
        var result = WorkerResult.Parse("""
            {"searchId":"cnd-x","slot":0,"instanceId":"i-1","launchIndex":0,"scan":{"type":"result","status":"found","found":true,"nonce":1027827,"hash":"000003f2","hashes":1027828,"seconds":0.07,"rate":1.4e7,"kernel":"avx512","threads":1,"start":0,"end":2000000,"difficulty":20,"next_nonce":1027828},"error":null}
            """);
        Assert.Null(result.Error);
        var scan = result.Scan!;
        Assert.Equal(("found", true, 1027827u, 1027828UL, "avx512", 1027828UL), (scan.Status, scan.Found, scan.Nonce, scan.Hashes, scan.Kernel, scan.NextNonce));
    }

    [Fact]
    public void ReadsAnErrorResult()
    {
        var result = WorkerResult.Parse("""{"searchId":"cnd-x","slot":null,"instanceId":"i-1","launchIndex":0,"scan":null,"error":"scanner checksum mismatch"}""");
        Assert.Null(result.Scan);
        Assert.Equal("scanner checksum mismatch", result.Error);
    }

    [Fact]
    public void ReadsANotFoundScan()
    {
        var result = WorkerResult.Parse("""{"slot":1,"scan":{"type":"result","status":"time_limit","found":false,"nonce":null,"hash":null,"hashes":5,"next_nonce":9},"error":null}""");
        Assert.False(result.Scan!.Found);
        Assert.Null(result.Scan.Nonce);
        Assert.Equal("time_limit", result.Scan.Status);
    }

    [Fact]
    public void ReadsTheTimelineAWorkerReportsWithItsProgressAndResult()
    {
        var progress = WorkerProgress.Parse("""
            {"searchId":"cnd-x","slot":0,"instanceId":"i-1","launchIndex":0,"nextNonce":5,"hashes":0,"rate":0,"seconds":0,"time":1764071234,
             "timeline":{"booted":1764071230.123456,"scannerDownloaded":1764071231.5,"scannerVerified":1764071231.52,"scanStarted":1764071231.6,"scanEnded":null}}
            """);
        var timeline = progress.Timeline!;
        Assert.Equal(new DateTimeOffset(2025, 11, 25, 11, 47, 10, 123, TimeSpan.Zero).AddTicks(4560), WorkerTimeline.Time(timeline.Booted));
        Assert.Null(WorkerTimeline.Time(timeline.ScanEnded));

        var result = WorkerResult.Parse("""{"slot":0,"scan":null,"error":"scanner download failed","timeline":{"booted":1764071230,"scannerDownloaded":null,"scannerVerified":null,"scanStarted":null,"scanEnded":null}}""");
        Assert.NotNull(WorkerTimeline.Time(result.Timeline!.Booted));
        Assert.Null(result.Timeline.ScannerDownloaded);
    }

    [Fact]
    public void ReadsReportsOfWorkersThatSendNoTimeline() =>
        Assert.Null(WorkerProgress.Parse("""{"slot":0,"nextNonce":1,"hashes":1}""").Timeline);
}
