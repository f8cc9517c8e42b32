using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using CloudNonce.Engine.Providers;

namespace CloudNonce.Cmdlets.Parameters;

/// <summary>A search provider name, checked against the engine's list.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateProviderAttribute : ValidateNameAttribute
{
    protected override string What => "provider";
    protected override IReadOnlyList<string> ValidNames => SearchProviderFactory.Names;
}

public sealed class ProviderCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        NameCompletion.Complete(SearchProviderFactory.Names, wordToComplete);
}
