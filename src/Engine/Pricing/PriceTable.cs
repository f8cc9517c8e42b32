using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;

namespace CloudNonce.Engine.Pricing;

/// <summary>What an hour of one instance costs, and where that figure comes from.</summary>
/// <param name="InstanceType">The EC2 instance type, e.g. c7i.large.</param>
/// <param name="Spot">Whether this is the spot estimate rather than the on-demand price.</param>
/// <param name="PerHour">USD per instance-hour.</param>
/// <param name="Source">The table and its date, or "-PricePerHour" for a user's override.</param>
public sealed record InstancePrice(string InstanceType, bool Spot, double PerHour, string Source);

/// <summary>The price table the module ships (prices.json, embedded): dated on-demand list prices of
/// common x86-64 compute types and one spot discount factor. It is an estimate for planning, not a
/// bill: prices differ by region and spot prices move, so a user can override the hourly price.</summary>
public sealed class PriceTable
{
    private const string ResourceName = "CloudNonce.Engine.Pricing.prices.json";
    private static readonly Lazy<PriceTable> Shipped = new(Load);

    private readonly FrozenDictionary<string, double> _onDemand;

    public PriceTable(IReadOnlyDictionary<string, double> onDemand, double spotFactor, string source, DateOnly asOf, string spotSource)
    {
        if (!(spotFactor is > 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(spotFactor), spotFactor, "The spot factor is a fraction of the on-demand price, in (0, 1].");
        _onDemand = onDemand.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        SpotFactor = spotFactor;
        Source = source;
        AsOf = asOf;
        SpotSource = spotSource;
    }

    /// <summary>The table shipped inside the engine.</summary>
    public static PriceTable Default => Shipped.Value;

    public double SpotFactor { get; }
    public string Source { get; }
    public DateOnly AsOf { get; }
    public string SpotSource { get; }
    public IEnumerable<string> InstanceTypes => _onDemand.Keys;

    /// <summary>The hourly price of a type; <paramref name="overridePerHour"/> (the user's -PricePerHour)
    /// wins for both markets. Null when the type is not in the table and nothing overrides it.</summary>
    public InstancePrice? For(string instanceType, bool spot, double? overridePerHour = null)
    {
        if (overridePerHour is { } given)
        {
            if (!(given >= 0) || double.IsInfinity(given))
                throw new ArgumentOutOfRangeException(nameof(overridePerHour), given, "A price per hour is a non-negative number of USD.");
            return new InstancePrice(instanceType, spot, given, "-PricePerHour");
        }
        if (!_onDemand.TryGetValue(instanceType, out var onDemand))
            return null;
        var dated = $"{Source}, {AsOf:yyyy-MM-dd}";
        return spot
            ? new InstancePrice(instanceType, true, onDemand * SpotFactor, $"{dated}; spot at {SpotFactor:0.##} × on-demand ({SpotSource})")
            : new InstancePrice(instanceType, false, onDemand, dated);
    }

    private static PriceTable Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The price table resource '{ResourceName}' is missing from the engine assembly.");
        return Parse(stream);
    }

    public static PriceTable Parse(Stream json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var root = document.RootElement;
        var prices = root.GetProperty("onDemand").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        return new PriceTable(prices, root.GetProperty("spotFactor").GetDouble(), root.GetProperty("source").GetString() ?? "",
            DateOnly.ParseExact(root.GetProperty("asOf").GetString() ?? "", "yyyy-MM-dd"), root.GetProperty("spotSource").GetString() ?? "");
    }
}
