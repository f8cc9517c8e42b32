namespace CloudNonce.Cmdlets.Parameters;

/// <summary>A name that must be one of a list the engine owns (so ValidateSet, which needs constants,
/// would copy it), case-insensitive, with a message that lists the valid names.</summary>
public abstract class ValidateNameAttribute : ValidateEnumeratedArgumentsAttribute
{
    /// <summary>What a name names, singular ("kernel").</summary>
    protected abstract string What { get; }
    protected abstract IReadOnlyList<string> ValidNames { get; }
    /// <summary>Appended to the message, e.g. which names are usable here.</summary>
    protected virtual string Detail => "";

    protected override void ValidateElement(object element)
    {
        var name = Arguments.Unwrap(element) as string;
        if (!ValidNames.Contains(name ?? "", StringComparer.OrdinalIgnoreCase))
        {
            throw new ValidationMetadataException($"'{name}' is not a {What}. Valid {What}s: {string.Join(", ", ValidNames)}{Detail}.");
        }
    }
}
