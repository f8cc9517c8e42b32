namespace CloudNonce.Cmdlets.Parameters;

/// <summary>Marks a parameter that means something to one provider only. CndAwsCmdlet.RequireParametersFor
/// refuses it with any other -Provider, so which parameter goes with which provider is said once, where
/// the parameter is declared.</summary>
/// <remarks>The parameter sets keep the providers' parameters in separate shapes; this marker is what
/// still catches a provider-only parameter given with -Provider naming the other provider, and the
/// help says with it which provider a parameter needs.</remarks>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ProviderOnlyAttribute(SearchProviderKind provider) : Attribute
{
    public SearchProviderKind Provider { get; } = provider;
    /// <summary>What to use instead with the other providers, when there is something.</summary>
    public string? Instead { get; init; }
}
