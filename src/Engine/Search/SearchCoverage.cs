using System.Globalization;

namespace CloudNonce.Engine.Search;

/// <summary>Nonces [Start, End] (inclusive) a search did not scan, and why.</summary>
public sealed record CndNonceRange(uint Start, uint End, string Reason)
{
    public ulong Size => (ulong)End - Start + 1;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Start}-{End}");
}

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
