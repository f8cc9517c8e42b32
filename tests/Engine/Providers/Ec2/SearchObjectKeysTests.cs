namespace CloudNonce.Engine.Tests.Providers.Ec2;

public class SearchObjectKeysTests
{
    [Fact]
    public void LaysOutAllOfASearchUnderItsPrefix()
    {
        const string id = "cnd-20261125120000-ab12cd";
        Assert.Equal("searches/cnd-20261125120000-ab12cd/launch-2.json", SearchObjectKeys.Manifest(id, 2));
        Assert.StartsWith(SearchObjectKeys.SearchPrefix(id), SearchObjectKeys.Progress(id, 3, 1));
        Assert.StartsWith(SearchObjectKeys.SearchPrefix(id), SearchObjectKeys.Result(id, 3, 1));
        Assert.Equal("scanners/abc/cnd-scan", SearchObjectKeys.Scanner("abc"));
    }

    [Fact]
    public void ParsesReportKeysBack()
    {
        Assert.True(SearchObjectKeys.TryParseReport(SearchObjectKeys.Result("cnd-a", 12, 2), out var slot, out var attempt, out var isResult));
        Assert.Equal((12, 2, true), (slot, attempt, isResult));
        Assert.True(SearchObjectKeys.TryParseReport(SearchObjectKeys.Progress("cnd-a", 0, 0), out slot, out attempt, out isResult));
        Assert.Equal((0, 0, false), (slot, attempt, isResult));
        Assert.False(SearchObjectKeys.TryParseReport(SearchObjectKeys.Manifest("cnd-a", 0), out _, out _, out _));
        Assert.False(SearchObjectKeys.TryParseReport("searches/cnd-a/slot-x/attempt-0/result.json", out _, out _, out _));
    }
}
