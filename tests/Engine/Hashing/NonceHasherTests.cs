using System.Numerics;

namespace CloudNonce.Engine.Tests.Hashing;

public class NonceHasherTests
{
    [Fact]
    public void Digest_is_double_sha256_of_block_and_big_endian_nonce()
    {
        var block = Encoding.UTF8.GetBytes("COMSM0010cloud");
        byte[] message = [.. block, 0x12, 0x34, 0x56, 0x78];
        Assert.Equal(SHA256.HashData(SHA256.HashData(message)), NonceHasher.Digest(block, 0x12345678));
        Assert.Equal(ReferenceHash.Digest(block, 0xdeadbeef), NonceHasher.Digest(block, 0xdeadbeef));
    }

    [Fact]
    public void Long_blocks_hash_too() =>
        Assert.Equal(SHA256.HashData(SHA256.HashData([.. new byte[5000], 0, 0, 0, 7])), NonceHasher.Digest(new byte[5000], 7));

    [Theory]
    [InlineData(new byte[] { 0x80 }, 0)]
    [InlineData(new byte[] { 0x0f }, 4)]
    [InlineData(new byte[] { 0x00, 0x00, 0x01 }, 23)]
    [InlineData(new byte[] { 0x00, 0x40, 0xff }, 9)]
    public void Leading_zero_bits_read_the_digest_big_endian(byte[] prefix, int expected)
    {
        var digest = new byte[32];
        prefix.CopyTo(digest, 0);
        Assert.Equal(expected, NonceHasher.LeadingZeroBits(digest));
    }

    [Fact]
    public void An_all_zero_digest_has_256_leading_zero_bits() => Assert.Equal(256, NonceHasher.LeadingZeroBits(new byte[32]));

    [Fact]
    public void Leading_zero_bits_agree_with_the_big_endian_number_the_digest_is()
    {
        // Independent of the code under test: 256 minus the bit length of the digest read as a
        // big-endian unsigned integer.
        for (uint nonce = 0; nonce < 200; nonce++)
        {
            var digest = ReferenceHash.Digest("COMSM0010cloud"u8.ToArray(), nonce);
            var expected = 256 - (int)new BigInteger(digest, isUnsigned: true, isBigEndian: true).GetBitLength();
            Assert.Equal(expected, NonceHasher.LeadingZeroBits(digest));
        }
    }

    [Fact]
    public void Golden_means_at_least_the_difficulty()
    {
        // The original tool's block and a golden nonce of it: the digest begins 00 00 00 12 (checked
        // with Python's hashlib), so it has exactly 27 leading zero bits.
        var block = "COMSM0010cloud"u8.ToArray();
        const uint nonce = 30074393;
        Assert.Equal(new byte[] { 0, 0, 0, 0x12 }, ReferenceHash.Digest(block, nonce)[..4]);
        Assert.True(NonceHasher.IsGolden(block, nonce, 24));
        Assert.True(NonceHasher.IsGolden(block, nonce, 27));
        Assert.False(NonceHasher.IsGolden(block, nonce, 28));
        Assert.True(NonceHasher.IsGolden(block, nonce, 0));
        Assert.False(NonceHasher.IsGolden(block, nonce + 1, 24));
    }

    [Fact]
    public void Hash_reports_block_hex_digest_hex_and_zeros()
    {
        var hash = NonceHasher.Hash("ab"u8.ToArray(), 3);
        Assert.Equal("6162", hash.BlockHex);
        Assert.Equal(Convert.ToHexStringLower(ReferenceHash.Digest("ab"u8.ToArray(), 3)), hash.Hash);
        Assert.Equal(3u, hash.Nonce);
    }
}
