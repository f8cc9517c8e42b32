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

/// <summary>Every provider believes a golden nonce only after hashing it again here, independently of
/// whoever found it (the native core, a remote worker). What to do with a claim that fails is the
/// provider's call: a local mismatch is a bug, a remote one a lost or forged worker.</summary>
public static class NonceVerifier
{
    public static NonceVerdict Verify(ReadOnlySpan<byte> block, uint nonce, int difficulty, ReadOnlySpan<byte> claimedDigest = default)
    {
        var digest = NonceHasher.Digest(block, nonce);
        var zeros = NonceHasher.LeadingZeroBits(digest);
        var matches = claimedDigest.IsEmpty || claimedDigest.SequenceEqual(digest);
        return new NonceVerdict(nonce, digest, zeros, zeros >= difficulty, matches);
    }

    /// <summary>A claimed digest as the workers write it (hex); empty when absent or not hex, so a
    /// malformed claim cannot pass as matching.</summary>
    public static byte[] ParseClaim(string? hex)
    {
        if (string.IsNullOrEmpty(hex))
            return [];
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return [0];
        }
    }
}
