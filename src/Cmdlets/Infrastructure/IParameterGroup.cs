namespace CloudNonce.Cmdlets.Infrastructure;

/// <summary>A <see cref="ParameterGroup{T}"/> as the cmdlet that offers it sees it.</summary>
internal interface IParameterGroup
{
    /// <summary>Adds the group's parameters to <paramref name="parameters"/>, in every parameter set of the
    /// cmdlet when <paramref name="inEverySet"/>, else in the group's own sets.</summary>
    void AddTo(RuntimeDefinedParameterDictionary parameters, bool inEverySet);
    ProviderOnlyAttribute? ProviderOnly(string name);
}
