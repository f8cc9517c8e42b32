namespace CloudNonce.Cmdlets.Parameters;

/// <summary>Binds a provider name, in any case, to <see cref="SearchProviderKind"/>. PowerShell's own
/// enum conversion would also take numbers ('1') and word its refusal around the .NET type name;
/// this takes names only and lists them.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ProviderNameAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData) => Arguments.Unwrap(inputData) switch
    {
        SearchProviderKind kind => kind,
        string name when Enum.GetNames<SearchProviderKind>().FirstOrDefault(n => n.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase)) is { } known =>
            Enum.Parse<SearchProviderKind>(known),
        var other => throw new ArgumentTransformationMetadataException(
            $"'{other}' is not a provider. Valid providers: {string.Join(", ", Enum.GetNames<SearchProviderKind>())}."),
    };
}
