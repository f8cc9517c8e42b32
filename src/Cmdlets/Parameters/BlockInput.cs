using System.Text;

namespace CloudNonce.Cmdlets.Parameters;

/// <summary>The three ways a cmdlet takes a block (-Block text, -BlockBytes, -BlockHex), as parameter
/// set names and the one conversion to bytes they share.</summary>
internal static class BlockInput
{
    public const string Text = "Text";
    public const string Bytes = "Bytes";
    public const string Hex = "Hex";
    public const string DefaultText = SearchRequest.DefaultBlockText;

    /// <summary>The block from whichever of -BlockBytes and -BlockHex was given, else from the text
    /// (the parameter sets let only one of them through).</summary>
    public static byte[] ToBytes(string text, byte[]? bytes, string? hex) =>
        bytes ?? (hex is null ? Encoding.UTF8.GetBytes(text) : Convert.FromHexString(hex));

    /// <summary>How a block reads in messages: its text when it is printable UTF-8, else its hex.</summary>
    public static string Describe(byte[] block)
    {
        try
        {
            var text = new UTF8Encoding(false, true).GetString(block);
            if (!text.Any(char.IsControl)) return $"'{text}'";
        }
        catch (DecoderFallbackException) { }
        return "0x" + HexText.Lower(block);
    }
}
