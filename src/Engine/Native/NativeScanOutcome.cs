namespace CloudNonce.Engine.Native;

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
