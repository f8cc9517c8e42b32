namespace CloudNonce.Engine.Tests.Hashing;

public class NonceVerifierTests
{
    private static readonly byte[] Block = Encoding.UTF8.GetBytes("COMSM0010cloud");
    // Found by the native core and checked against hashlib in the CTest suite: 24 leading zero bits.
    private const uint Golden = 30074393;

    [Fact]
    public void ConfirmsAGoldenNonceWithItsOwnDigest()
    {
        var digest = NonceHasher.Digest(Block, Golden);
        var verdict = NonceVerifier.Verify(Block, Golden, 24, digest);
        Assert.True(verdict.Confirmed);
        Assert.Equal(Convert.ToHexStringLower(digest), verdict.HashHex);
        Assert.True(verdict.LeadingZeroBits >= 24);
    }

    [Fact]
    public void RefutesANonceBelowTheDifficulty()
    {
        var verdict = NonceVerifier.Verify(Block, Golden + 1, 24);
        Assert.False(verdict.IsGolden);
        Assert.False(verdict.Confirmed);
        Assert.True(verdict.MatchesClaim, "no digest was claimed");
    }

    [Fact]
    public void RefutesAGoldenNonceReportedWithAnotherDigest()
    {
        var wrong = NonceHasher.Digest(Block, Golden);
        wrong[31] ^= 1;
        var verdict = NonceVerifier.Verify(Block, Golden, 24, wrong);
        Assert.True(verdict.IsGolden);
        Assert.False(verdict.MatchesClaim);
        Assert.False(verdict.Confirmed);
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData("", 0)]
    [InlineData("00ff", 2)]
    [InlineData("not hex", 1)]
    public void ParsesAClaimedDigestSoThatGarbageNeverMatches(string? hex, int length) =>
        Assert.Equal(length, NonceVerifier.ParseClaim(hex).Length);
}
