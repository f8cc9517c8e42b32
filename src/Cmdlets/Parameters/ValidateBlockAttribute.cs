namespace CloudNonce.Cmdlets.Parameters;

/// <summary>A block given as text or bytes must hold at least one byte.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateBlockAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var value = Arguments.Unwrap(arguments);
        var empty = value switch
        {
            string text => text.Length == 0,
            byte[] bytes => bytes.Length == 0,
            _ => value is null,
        };
        if (empty)
        {
            throw new ValidationMetadataException(
                $"The block is empty ({(value is string ? "''" : "0 bytes")}): give at least one byte, as text (-Block), bytes (-BlockBytes) or hex (-BlockHex).");
        }
    }
}
