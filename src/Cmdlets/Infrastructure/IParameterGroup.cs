namespace CloudNonce.Cmdlets.Infrastructure;

/// <summary>A <see cref="ParameterGroup{T}"/> as the cmdlet that offers it sees it.</summary>
internal interface IParameterGroup
{
    void AddTo(RuntimeDefinedParameterDictionary parameters);
    ProviderOnlyAttribute? ProviderOnly(string name);
}
