namespace CloudNonce.Cmdlets.Parameters;

/// <summary>A probability target L with 0 &lt; L ≤ 1 (ValidateRange cannot exclude its minimum).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateConfidenceAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var value = Arguments.Unwrap(arguments);
        if (value is not double l || !(l > 0 && l <= 1))
        {
            throw new ValidationMetadataException(string.Create(CultureInfo.InvariantCulture,
                $"The confidence {value} is not valid: it must be greater than 0 and at most 1 (for example 0.95)."));
        }
    }
}
