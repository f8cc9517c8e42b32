namespace CloudNonce.Cmdlets.Parameters;

/// <summary>Tab completion from a list of names, by case-insensitive prefix.</summary>
internal static class NameCompletion
{
    public static IEnumerable<CompletionResult> Complete(IEnumerable<string> names, string? wordToComplete)
    {
        var prefix = (wordToComplete ?? "").Trim('\'', '"');
        return names
            .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }
}
