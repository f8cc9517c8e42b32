namespace CloudNonce.Engine.Search;

/// <summary>The outcome of a search, the same shape whichever provider ran it.</summary>
public sealed class CndSearchResult
{
    public bool Found { get; init; }
    public uint? Nonce { get; init; }
    /// <summary>Digest as lower-case hex (SHA-256 output byte order); null when nothing was found.</summary>
    public string? Hash { get; init; }
    public int LeadingZeroBits { get; init; }
    public int Difficulty { get; init; }
    public TimeSpan Elapsed { get; init; }
    public ulong Hashes { get; init; }
    public double HashRate { get; init; }
    public int Workers { get; init; }
    public string Provider { get; init; } = "";
    public string SearchId { get; init; } = "";
    public StopReason StopReason { get; init; }
    public string Kernel { get; init; } = "";
    public uint NonceStart { get; init; }
    public uint NonceEnd { get; init; }
    public string BlockHex { get; init; } = "";
}
