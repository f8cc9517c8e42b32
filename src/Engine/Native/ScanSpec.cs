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
