namespace CloudNonce.Cmdlets.Parameters;

/// <summary>A number or TimeSpan that must be above zero (or at least zero with AllowZero).
/// PowerShell prefixes the message with the parameter's name.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidatePositiveAttribute : ValidateArgumentsAttribute
{
    public bool AllowZero { get; set; }

    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var value = Arguments.Unwrap(arguments);
        var (number, shown) = value switch
        {
            TimeSpan span => (span.TotalSeconds, span.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s"),
            IConvertible convertible => (convertible.ToDouble(CultureInfo.InvariantCulture), Convert.ToString(value, CultureInfo.InvariantCulture)),
            _ => (double.NaN, value?.ToString()),
        };
        var ok = AllowZero ? number >= 0 : number > 0;
        if (!ok || double.IsInfinity(number))
        {
            throw new ValidationMetadataException(
                $"The value {shown} is not valid: it must be a finite number {(AllowZero ? "of zero or more" : "greater than zero")}.");
        }
    }
}
