namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>What one poll of the controller reads, chosen so that it asks only for what can have
/// changed: the reports of each slot's current attempt while that attempt is active, its progress only
/// once a new report can be there. Those few objects are asked for directly (conditional GETs: an
/// unchanged one comes back as a bodiless 304) while that is cheaper than one LIST of the search's
/// reports; past that, the poll lists them and reads only those whose ETag moved.</summary>
/// <param name="List">List the reports (then read the keys whose ETag changed) rather than read <paramref name="Reads"/>.</param>
/// <param name="Reads">With <paramref name="List"/> false: the keys to ask for.</param>
public sealed record ReportPollPlan(bool List, IReadOnlyList<string> Reads)
{
    /// <summary>S3 bills a LIST at its PUT price, about 12.5 GETs in every region's price list
    /// ($0.005 against $0.0004 per 1000 in us-east-1).</summary>
    public const double ListPriceInGets = 12.5;

    /// <summary>Whether one LIST costs less than asking each active slot's result once.</summary>
    public static bool ListingIsCheaper(int activeSlots) => activeSlots > ListPriceInGets;

    /// <summary>The plan for a poll at <paramref name="now"/>. <paramref name="lastProgressChange"/> says when
    /// a slot's current progress object was last seen to change (null: never read).</summary>
    public static ReportPollPlan For(string searchId, IReadOnlyList<SlotState> slots, DateTimeOffset now, TimeSpan progressInterval,
        Func<string, DateTimeOffset?> lastProgressChange)
    {
        var active = slots.Where(s => s.IsActive).ToList();
        if (ListingIsCheaper(active.Count))
            return new ReportPollPlan(true, []);
        var reads = new List<string>();
        foreach (var slot in active)
        {
            // Progress first, as a listing sorts them: a worker's report is taken before the result it
            // wrote after it, so a fast worker is still seen to start before it ends.
            var progress = SearchObjectKeys.Progress(searchId, slot.Slot, slot.Attempt);
            if (lastProgressChange(progress) is not { } changed || now - changed >= progressInterval)
                reads.Add(progress);
            // A result can come at any moment: it is what ends a search.
            reads.Add(SearchObjectKeys.Result(searchId, slot.Slot, slot.Attempt));
        }
        return new ReportPollPlan(false, reads);
    }
}
