namespace CloudNonce.Engine.Search;

/// <summary>A snapshot of a running search, reported by providers at a bounded interval.</summary>
public sealed record SearchProgress
{
    public required string SearchId { get; init; }
    public ulong NoncesDone { get; init; }
    public ulong NoncesTotal { get; init; }
    public double NoncesPerSecond { get; init; }
    public TimeSpan Elapsed { get; init; }
    // Units are threads (Local) or instances, one per slot (EC2).
    /// <summary>Not scanning yet: EC2 slots waiting for a (re)launch or booting.</summary>
    public int UnitsWaiting { get; init; }
    public int UnitsScanning { get; init; }
    public int UnitsDone { get; init; }
    /// <summary>A short human-readable status line ("launching 4 instances", "scanning").</summary>
    public string Status { get; init; } = "";
    /// <summary>A decision worth a line of -Verbose (which network the workers got and why); null for most reports.</summary>
    public string? Note { get; init; }

    /// <summary>A snapshot of <paramref name="request"/>'s search: <paramref name="hashed"/> nonces done
    /// (counted up to its range size) at <paramref name="noncesPerSecond"/>; providers add their unit counts.</summary>
    public static SearchProgress Of(SearchRequest request, ulong hashed, double noncesPerSecond, TimeSpan elapsed, string status) => new()
    {
        SearchId = request.SearchId,
        NoncesDone = Math.Min(hashed, request.RangeSize),
        NoncesTotal = request.RangeSize,
        NoncesPerSecond = noncesPerSecond,
        Elapsed = elapsed,
        Status = status,
    };

    public double PercentComplete => NoncesTotal == 0 ? 0 : Math.Min(100.0, 100.0 * NoncesDone / NoncesTotal);

    public TimeSpan? EstimatedRemaining =>
        NoncesPerSecond <= 0 || NoncesDone >= NoncesTotal ? null : TimeSpan.FromSeconds((NoncesTotal - NoncesDone) / NoncesPerSecond);
}
