namespace CloudNonce.Cmdlets.Parameters;

/// <summary>An EC2 subnet id by its shape (subnet- and hex digits), so that a subnet name or a VPC id
/// given by mistake fails at once; whether it exists is asked of EC2 before the launch.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateSubnetIdAttribute : ValidateArgumentsAttribute
{
    private const string Prefix = "subnet-";

    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var text = Arguments.Unwrap(arguments) as string;
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal) || text.Length == Prefix.Length
            || !text[Prefix.Length..].All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c)))
        {
            throw new ValidationMetadataException(
                $"'{text}' is not a subnet id: give the id EC2 shows for the subnet, 'subnet-' and hex digits, for example 'subnet-0123456789abcdef0'.");
        }
    }
}
