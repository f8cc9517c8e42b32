namespace CloudNonce.Engine.Tests.Pricing;

public class ProtocolRequestsTests
{
    [Fact]
    public void CountsReportsPollsAndDownloads()
    {
        // 2 workers report for 100 s each every 2 s: 100 progress PUTs, 2 results, 2 manifests, 1 scanner.
        // The controller polls every second for 110 s: 111 LISTs; it reads each report once at most.
        var count = ProtocolRequests.Count(2, TimeSpan.FromSeconds(200), TimeSpan.FromSeconds(110), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1));
        Assert.Equal(100 + 2 + 2 + 1, count.Puts);
        Assert.Equal(111, count.Lists);
        Assert.Equal(2 * 2 + 102 + 1, count.Gets);
        Assert.Equal(count.Puts + count.Lists, count.PutClass);
    }

    [Fact]
    public void LongerIntervalsMakeFewerRequests()
    {
        var hour = TimeSpan.FromHours(1);
        var often = ProtocolRequests.Count(1, hour, hour, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1));
        var seldom = ProtocolRequests.Count(1, hour, hour, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10));
        Assert.Equal(1800 + 3, often.Puts);
        Assert.Equal(3601, often.Lists);
        Assert.True(seldom.PutClass * 10 < often.PutClass);
    }

    [Fact]
    public void ANoFleetSearchPollsNothing()
    {
        var count = ProtocolRequests.Count(0, TimeSpan.Zero, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1));
        Assert.Equal(0, count.Lists);
        Assert.Throws<ArgumentOutOfRangeException>(() => ProtocolRequests.Count(1, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(1)));
    }
}
