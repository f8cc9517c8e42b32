using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace CloudNonce.Engine.Hashing;

/// <summary>The golden-nonce rule in managed code, independent of the native core, so results can be
/// checked by a second implementation: digest = SHA256(SHA256(block || nonce as 4 bytes big-endian)).</summary>
public static class NonceHasher
{
    public const int MaxDifficulty = 256;

    /// <summary>A difficulty no nonce reaches in practice (every bit of the digest zero), so a scan at it
    /// hashes until its range or its time limit ends: what a performance measurement needs.</summary>
    public const int UnreachableDifficulty = MaxDifficulty;

    public static byte[] Digest(ReadOnlySpan<byte> block, uint nonce)
    {
        Span<byte> message = block.Length + 4 <= 1024 ? stackalloc byte[block.Length + 4] : new byte[block.Length + 4];
        block.CopyTo(message);
        BinaryPrimitives.WriteUInt32BigEndian(message[block.Length..], nonce);
        Span<byte> first = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(message, first);
        return SHA256.HashData(first);
    }

    /// <summary>Leading zero bits of a digest read as a big-endian number (0..256).</summary>
    public static int LeadingZeroBits(ReadOnlySpan<byte> digest)
    {
        var bits = 0;
        foreach (var b in digest)
        {
            if (b != 0) return bits + BitOperations.LeadingZeroCount((uint)b) - 24;
            bits += 8;
        }
        return bits;
    }

    public static bool IsGolden(ReadOnlySpan<byte> block, uint nonce, int difficulty) =>
        LeadingZeroBits(Digest(block, nonce)) >= difficulty;

    public static CndHash Hash(byte[] block, uint nonce)
    {
        var digest = Digest(block, nonce);
        return new CndHash
        {
            BlockHex = HexText.Lower(block),
            Nonce = nonce,
            Hash = HexText.Lower(digest),
            LeadingZeroBits = LeadingZeroBits(digest),
        };
    }
}
