namespace CloudNonce.Engine.Hashing;

/// <summary>What the managed SHA-256d says of a nonce someone claims is golden.</summary>
/// <param name="Nonce">The nonce claimed.</param>
/// <param name="Digest">The digest recomputed here.</param>
/// <param name="LeadingZeroBits">Of the recomputed digest.</param>
/// <param name="IsGolden">The digest has at least the difficulty's leading zero bits.</param>
/// <param name="MatchesClaim">The digest equals the one the claimant reported (true when it reported none).</param>
public sealed record NonceVerdict(uint Nonce, byte[] Digest, int LeadingZeroBits, bool IsGolden, bool MatchesClaim)
{
    public bool Confirmed => IsGolden && MatchesClaim;
    public string HashHex => HexText.Lower(Digest);
}
