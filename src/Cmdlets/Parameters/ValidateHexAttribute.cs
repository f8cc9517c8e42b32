namespace CloudNonce.Cmdlets.Parameters;

/// <summary>Block bytes given as hex: an even number of hex digits, at least one byte.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateHexAttribute : ValidateEnumeratedArgumentsAttribute
{
    protected override void ValidateElement(object element)
    {
        var text = Arguments.Unwrap(element) as string;
        if (string.IsNullOrEmpty(text) || text.Length % 2 != 0 || !text.All(Uri.IsHexDigit))
        {
            throw new ValidationMetadataException(
                $"'{text}' is not valid hex: give an even number (at least 2) of the digits 0-9 and a-f, for example '434f4d53'.");
        }
    }
}
