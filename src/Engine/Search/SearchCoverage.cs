namespace CloudNonce.Engine.Search;

/// <summary>Which part of a search's range was scanned. Missing lists the ranges the search gave up on
/// (a slot that failed every attempt or never launched) and, when it stopped at the time limit or was
/// cancelled, those it had no time for. A search that found its golden nonce needs nothing beyond it,
/// so only given-up ranges count as missing then.</summary>
public sealed record SearchCoverage(IReadOnlyList<CndNonceRange> Missing)
{
    public static readonly SearchCoverage Full = new([]);

    public bool Complete => Missing.Count == 0;

    public ulong MissingNonces => Missing.Aggregate(0UL, (sum, r) => sum + r.Size);

    public override string ToString() => Complete ? "complete" : "missing " + string.Join(", ", Missing);
}
