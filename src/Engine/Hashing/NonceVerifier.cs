namespace CloudNonce.Engine.Hashing;

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
