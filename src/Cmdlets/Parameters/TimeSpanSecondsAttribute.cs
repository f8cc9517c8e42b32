namespace CloudNonce.Cmdlets.Parameters;

/// <summary>Lets a TimeSpan parameter take a number of seconds (300, 2.5, '90') as well as a
/// TimeSpan or a TimeSpan string ('00:05:00'), the way the original tool took -T in seconds.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class TimeSpanSecondsAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = Arguments.Unwrap(inputData);
        try
        {
            return value switch
            {
                TimeSpan span => span,
                string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) => TimeSpan.FromSeconds(seconds),
                string text when TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) => span,
                IConvertible number when value is not string and not bool and not char => TimeSpan.FromSeconds(number.ToDouble(CultureInfo.InvariantCulture)),
                _ => throw Invalid(value),
            };
        }
        catch (Exception e) when (e is OverflowException or ArgumentException or InvalidCastException or FormatException)
        {
            throw Invalid(value, e);
        }
    }

    private static ArgumentTransformationMetadataException Invalid(object? value, Exception? inner = null) =>
        new($"'{value}' is not a number of seconds or a TimeSpan (for example 300, 2.5 or '00:05:00').", inner);
}
