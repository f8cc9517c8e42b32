namespace CloudNonce.Engine.Hashing;

/// <summary>The double hash of one block and nonce (what Get-CndHash returns).</summary>
public sealed record CndHash
{
    public required string BlockHex { get; init; }
    public uint Nonce { get; init; }
    /// <summary>Lower-case hex, SHA-256 output byte order.</summary>
    public required string Hash { get; init; }
    public int LeadingZeroBits { get; init; }
}
