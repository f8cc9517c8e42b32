using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using CloudNonce.Engine.Providers;

namespace CloudNonce.Cmdlets.Parameters;

/// <summary>A search provider name, checked against the engine's list (ValidateSet would copy it).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateProviderAttribute : ValidateEnumeratedArgumentsAttribute
{
    protected override void ValidateElement(object element)
    {
        var name = Arguments.Unwrap(element) as string;
        if (!SearchProviderFactory.Names.Contains(name ?? "", StringComparer.OrdinalIgnoreCase))
        {
            throw new ValidationMetadataException($"'{name}' is not a provider. Valid providers: {string.Join(", ", SearchProviderFactory.Names)}.");
        }
    }
}

public sealed class ProviderCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        NameCompletion.Complete(SearchProviderFactory.Names, wordToComplete);
}
