using CloudNonce.Engine.Providers.Ec2;

namespace CloudNonce.Engine.Providers;

/// <summary>The one place that maps a provider name to its implementation.</summary>
public static class SearchProviderFactory
{
    public static readonly IReadOnlyList<string> Names = ["Local", "EC2"];

    public static ISearchProvider Create(string name, Ec2Options? ec2Options = null) => name.ToUpperInvariant() switch
    {
        "LOCAL" => new Local.LocalSearchProvider(),
        "EC2" => new Ec2SearchProvider(ec2Options ?? new Ec2Options()),
        _ => throw new ArgumentException($"Unknown provider '{name}'. Valid providers: {string.Join(", ", Names)}.", nameof(name)),
    };
}
