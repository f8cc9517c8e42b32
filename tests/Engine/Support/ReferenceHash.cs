using System.Buffers.Binary;

namespace CloudNonce.Engine.Tests.Support;

/// <summary>The golden-nonce digest written out directly with .NET's SHA-256, as the yardstick
/// for both the native scanner and the engine's own managed hasher.</summary>
internal static class ReferenceHash
{
    public static byte[] Digest(byte[] block, uint nonce)
    {
        var message = new byte[block.Length + 4];
        block.CopyTo(message, 0);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(block.Length), nonce);
        return SHA256.HashData(SHA256.HashData(message));
    }
}
