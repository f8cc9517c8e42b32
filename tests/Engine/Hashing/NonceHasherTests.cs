using System.Security.Cryptography;
using System.Text;
using CloudNonce.Engine.Hashing;
using CloudNonce.Engine.Tests.Support;

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
    public void Golden_means_at_least_the_difficulty()
    {
        var block = "x"u8.ToArray();
        var zeros = NonceHasher.LeadingZeroBits(NonceHasher.Digest(block, 1));
        Assert.True(NonceHasher.IsGolden(block, 1, zeros));
        Assert.False(NonceHasher.IsGolden(block, 1, zeros + 1));
        Assert.True(NonceHasher.IsGolden(block, 1, 0));
    }

    [Fact]
    public void Hash_reports_block_hex_digest_hex_and_zeros()
    {
        var hash = NonceHasher.Hash("ab"u8.ToArray(), 3);
        Assert.Equal("6162", hash.BlockHex);
        Assert.Equal(Convert.ToHexStringLower(NonceHasher.Digest("ab"u8, 3)), hash.Hash);
        Assert.Equal(3u, hash.Nonce);
    }
}
