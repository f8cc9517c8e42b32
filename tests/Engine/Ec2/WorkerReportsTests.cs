using CloudNonce.Engine.Providers.Ec2;

namespace CloudNonce.Engine.Tests.Ec2;

public class WorkerReportsTests
{
    [Fact]
    public void ReadsTheBootstrapsProgressObject()
    {
        var progress = WorkerProgress.Parse("""
            {"searchId":"cnd-x","slot":2,"instanceId":"i-0123","launchIndex":1,"nextNonce":3000123456,"hashes":123456,"rate":2.1e7,"seconds":4.2,"time":1764071234}
            """);
        Assert.Equal((2, "i-0123", 1, 3000123456UL, 123456UL, 2.1e7), (progress.Slot, progress.InstanceId, progress.LaunchIndex, progress.NextNonce, progress.Hashes, progress.Rate));
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
}
