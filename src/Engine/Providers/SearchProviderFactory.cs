using CloudNonce.Engine.Providers.Ec2;

namespace CloudNonce.Engine.Providers;

/// <summary>The one place that maps a provider to its implementation.</summary>
public static class SearchProviderFactory
{
    public static ISearchProvider Create(SearchProviderKind kind, Ec2Options? ec2Options = null) => kind switch
    {
        SearchProviderKind.Local => new Local.LocalSearchProvider(),
        SearchProviderKind.EC2 => new Ec2SearchProvider(ec2Options ?? new Ec2Options()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown provider. Valid providers: {string.Join(", ", Enum.GetNames<SearchProviderKind>())}."),
    };
}
