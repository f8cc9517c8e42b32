namespace CloudNonce.Engine.Search;

/// <summary>A snapshot of a running search, reported by providers at a bounded interval.</summary>
public sealed record SearchProgress
{
    public required string SearchId { get; init; }
    public ulong NoncesDone { get; init; }
    public ulong NoncesTotal { get; init; }
    public double NoncesPerSecond { get; init; }
    public TimeSpan Elapsed { get; init; }
    public int WorkersPending { get; init; }
    public int WorkersRunning { get; init; }
    public int WorkersDone { get; init; }
    /// <summary>A short human-readable status line ("launching 4 instances", "scanning").</summary>
    public string Status { get; init; } = "";
    /// <summary>A decision worth a line of -Verbose (which network the workers got and why); null for most reports.</summary>
    public string? Note { get; init; }

    public double PercentComplete => NoncesTotal == 0 ? 0 : Math.Min(100.0, 100.0 * NoncesDone / NoncesTotal);

    public TimeSpan? EstimatedRemaining =>
        NoncesPerSecond <= 0 || NoncesDone >= NoncesTotal ? null : TimeSpan.FromSeconds((NoncesTotal - NoncesDone) / NoncesPerSecond);
}
