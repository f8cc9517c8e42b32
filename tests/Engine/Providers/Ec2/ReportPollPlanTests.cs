namespace CloudNonce.Engine.Tests.Providers.Ec2;

public class ReportPollPlanTests
{
    private const string SearchId = "cnd-x";
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private static SlotBook Launched(int slots)
    {
        var book = new SlotBook(SlotRange.Split(0, 99_999, slots), 3);
        foreach (var slot in book.Slots)
            book.RecordLaunch(slot, $"i-{slot.Slot}", T0);
        return book;
    }

    private static string Progress(int slot, int attempt = 0) => SearchObjectKeys.Progress(SearchId, slot, attempt);
    private static string Result(int slot, int attempt = 0) => SearchObjectKeys.Result(SearchId, slot, attempt);

    [Fact]
    public void AsksAFewActiveSlotsDirectlyProgressBeforeResult()
    {
        var plan = ReportPollPlan.For(SearchId, Launched(2).Slots, T0, Interval, _ => null);
        Assert.False(plan.List);
        Assert.Equal([Progress(0), Result(0), Progress(1), Result(1)], plan.Reads);
    }

    [Fact]
    public void SkipsAProgressObjectUntilANewReportCanBeThere()
    {
        var book = Launched(2);
        book.RecordProgress(0, 0, new WorkerProgress { NextNonce = 10 }, T0);
        var changed = new Dictionary<string, DateTimeOffset> { [Progress(0)] = T0, [Progress(1)] = T0 - Interval };
        var plan = ReportPollPlan.For(SearchId, book.Slots, T0 + TimeSpan.FromSeconds(3), Interval, k => changed.TryGetValue(k, out var t) ? t : null);
        Assert.Equal([Result(0), Progress(1), Result(1)], plan.Reads);

        var later = ReportPollPlan.For(SearchId, book.Slots, T0 + Interval, Interval, k => changed.TryGetValue(k, out var t) ? t : null);
        Assert.Contains(Progress(0), later.Reads);
    }

    [Fact]
    public void ReadsNothingOfFinishedSlotsOrEarlierAttempts()
    {
        var book = Launched(3);
        book.RecordResult(0, 0, new WorkerResult { Scan = new ScannerResultLine { Status = "exhausted" } });
        Assert.True(book.RecordLoss(book[1], "silent"));
        book.RecordLaunch(book[1], "i-1b", T0);
        var plan = ReportPollPlan.For(SearchId, book.Slots, T0, Interval, _ => null);
        Assert.Equal([Progress(1, 1), Result(1, 1), Progress(2), Result(2)], plan.Reads);
    }

    [Fact]
    public void NothingActiveNothingRead() =>
        Assert.Empty(ReportPollPlan.For(SearchId, new SlotBook(SlotRange.Split(0, 9, 2), 3).Slots, T0, Interval, _ => null).Reads);

    [Theory]
    [InlineData(12, false)] // 12 result GETs cost less than a LIST (12.5 GETs)
    [InlineData(13, true)]
    [InlineData(50, true)]
    public void ListsOnceThatIsCheaperThanAskingEachSlot(int slots, bool lists)
    {
        var plan = ReportPollPlan.For(SearchId, Launched(slots).Slots, T0, Interval, _ => null);
        Assert.Equal(lists, plan.List);
        Assert.Equal(lists ? 0 : 2 * slots, plan.Reads.Count);
    }

    [Fact]
    public void TheReportsPrefixHoldsEveryReportAndNoManifest()
    {
        var prefix = SearchObjectKeys.ReportsPrefix(SearchId);
        Assert.StartsWith(prefix, Progress(7, 2));
        Assert.StartsWith(prefix, Result(0));
        Assert.False(SearchObjectKeys.Manifest(SearchId, 0).StartsWith(prefix, StringComparison.Ordinal));
    }
}
