using CloudNonce.Engine.Providers;

namespace CloudNonce.Cmdlets.Parameters;

/// <summary>Marks a parameter that means something to one provider only. CndCmdlet.RequireParametersFor
/// refuses it with any other -Provider, so which parameter goes with which provider is said once, where
/// the parameter is declared.</summary>
/// <remarks>Not parameter sets: Start-CndSearch's block input already has three, crossing them with the
/// providers would make six, and the parameters declared once in SearchCommandBase and CndAwsCmdlet
/// cannot carry set names that fit every cmdlet deriving from them.</remarks>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ProviderOnlyAttribute(SearchProviderKind provider) : Attribute
{
    public SearchProviderKind Provider { get; } = provider;
    /// <summary>What to use instead with the other providers, when there is something.</summary>
    public string? Instead { get; init; }
}
