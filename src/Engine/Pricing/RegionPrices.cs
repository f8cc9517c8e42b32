using System.Collections.Frozen;

namespace CloudNonce.Engine.Pricing;

/// <summary>The price table's figures for one region: on-demand prices of the types it lists, and
/// S3's request prices there.</summary>
public sealed class RegionPrices(string region, string name, IReadOnlyDictionary<string, double> onDemand, S3RequestPrices s3Requests, string source)
{
    private readonly FrozenDictionary<string, double> _onDemand = onDemand.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The region code, e.g. eu-west-2.</summary>
    public string Region { get; } = region;
    /// <summary>AWS's name for it, e.g. Europe (London).</summary>
    public string Name { get; } = name;
    public S3RequestPrices S3Requests { get; } = s3Requests;
    /// <summary>The table's source and date, for every price it gives.</summary>
    public string Source { get; } = source;
    public IEnumerable<string> InstanceTypes => _onDemand.Keys;

    /// <summary>The on-demand price of a type here; null when the table does not list the type in this region.</summary>
    public InstancePrice? OnDemand(string instanceType) =>
        _onDemand.TryGetValue(instanceType, out var perHour)
            ? new InstancePrice(instanceType, false, perHour, $"{Source}, {Region}")
            : null;
}
