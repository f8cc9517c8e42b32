namespace CloudNonce.Engine.Native;

/// <summary>One native scan of [NonceStart, NonceEnd] for the lowest nonce with at least
/// <see cref="Difficulty"/> leading zero bits in SHA256(SHA256(block || nonce big-endian)).</summary>
public sealed record ScanSpec
{
    public required byte[] Block { get; init; }
    public required int Difficulty { get; init; }
    public uint NonceStart { get; init; }
    public uint NonceEnd { get; init; } = uint.MaxValue;
    public string Kernel { get; init; } = NativeKernels.Auto;
    /// <summary>Hashing threads; 0 = every online core.</summary>
    public int Threads { get; init; }
    /// <summary>Zero, negative or <see cref="Timeout.InfiniteTimeSpan"/>: no limit.</summary>
    public TimeSpan TimeLimit { get; init; } = Timeout.InfiniteTimeSpan;
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(0.25);
}

/// <summary>How a native scan ended (the non-error cnd_status values).</summary>
public enum ScanStatus
{
    Found = 0,
    Exhausted = 1,
    Cancelled = 2,
    TimeLimit = 3,
}

/// <summary>A progress callback's view of a running scan. Every nonce from the start up to
/// NextNonce (exclusive) is scanned: a safe checkpoint.</summary>
public readonly record struct ScanProgress(ulong NextNonce, ulong Hashes, TimeSpan Elapsed, double NoncesPerSecond);

/// <summary>What one native scan in this process found, and how it ended (the worker's JSON copy
/// of the same facts is <c>ScannerResultLine</c>).</summary>
public sealed record NativeScanOutcome
{
    public required ScanStatus Status { get; init; }
    public uint? Nonce { get; init; }
    /// <summary>The golden nonce's digest; null unless <see cref="Status"/> is Found.</summary>
    public byte[]? Hash { get; init; }
    public ulong Hashes { get; init; }
    public ulong NextNonce { get; init; }
    public TimeSpan Elapsed { get; init; }
    public required string Kernel { get; init; }
    public int Threads { get; init; }

    public double NoncesPerSecond => Elapsed > TimeSpan.Zero ? Hashes / Elapsed.TotalSeconds : 0;
}
