namespace CloudNonce.Engine.Hashing;

/// <summary>Lower-case hexadecimal text of bytes, as hashes and blocks are shown everywhere in the
/// module. (Convert.ToHexStringLower is .NET 9+; the module targets .NET 8 for PowerShell 7.4.)</summary>
public static class HexText
{
    public static string Lower(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
