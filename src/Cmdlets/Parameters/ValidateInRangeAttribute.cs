namespace CloudNonce.Cmdlets.Parameters;

/// <summary>A whole number (or each of an array of them) in Minimum..Maximum. ValidateRange names only
/// the bound that was crossed; this names the valid range, and PowerShell prefixes the parameter.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateInRangeAttribute(long minimum, long maximum) : ValidateEnumeratedArgumentsAttribute
{
    public long Minimum { get; } = minimum;
    public long Maximum { get; } = maximum;

    protected override void ValidateElement(object element)
    {
        var value = Arguments.Unwrap(element);
        var inRange = value is IConvertible number and not string and not bool and not char
            && ToWhole(number) is { } whole && whole >= Minimum && whole <= Maximum;
        if (!inRange)
        {
            throw new ValidationMetadataException(string.Create(CultureInfo.InvariantCulture,
                $"The value {value} is outside the valid range {Minimum}..{Maximum}."));
        }
    }

    private static long? ToWhole(IConvertible number)
    {
        try { return number.ToInt64(CultureInfo.InvariantCulture); }
        catch (OverflowException) { return null; }
    }
}
