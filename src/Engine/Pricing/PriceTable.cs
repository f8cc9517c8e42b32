using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;

namespace CloudNonce.Engine.Pricing;

/// <summary>The dated price table the module ships (prices.json, embedded): on-demand list prices per
/// region and instance type, S3 request prices per region, and the public IPv4 charge. Spot prices
/// are not here: they move by the hour and zone, so they are read live (DescribeSpotPriceHistory).
/// A region or type the table lacks has no price, and the cost then needs -PricePerHour: another
/// region's price is never used in its place.</summary>
public sealed class PriceTable
{
    private const string ResourceName = "CloudNonce.Engine.Pricing.prices.json";
    private static readonly Lazy<PriceTable> Shipped = new(Load);

    private readonly FrozenDictionary<string, RegionPrices> _regions;

    public PriceTable(IEnumerable<RegionPrices> regions, DateOnly asOf, string source, double publicIpv4PerHour, string publicIpv4Source)
    {
        _regions = regions.ToFrozenDictionary(r => r.Region, StringComparer.OrdinalIgnoreCase);
        AsOf = asOf;
        Source = source;
        PublicIpv4PerHour = publicIpv4PerHour;
        PublicIpv4Source = publicIpv4Source;
    }

    /// <summary>The table shipped inside the engine.</summary>
    public static PriceTable Default => Shipped.Value;

    public DateOnly AsOf { get; }
    public string Source { get; }
    /// <summary>USD per hour of one public IPv4 address (each worker that reaches S3 through an internet gateway has one).</summary>
    public double PublicIpv4PerHour { get; }
    public string PublicIpv4Source { get; }
    public IEnumerable<string> Regions => _regions.Keys;

    /// <summary>The region's prices; null when the table does not cover the region.</summary>
    public RegionPrices? For(string? region) => region is not null && _regions.TryGetValue(region, out var prices) ? prices : null;

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
        var asOf = DateOnly.ParseExact(Text(root, "asOf"), "yyyy-MM-dd");
        var source = Text(root, "source");
        var dated = $"{source}, as of {asOf:yyyy-MM-dd}";
        var regions = root.GetProperty("regions").EnumerateObject().Select(region =>
        {
            var s3 = region.Value.GetProperty("s3Requests");
            return new RegionPrices(region.Name, Text(region.Value, "name"),
                region.Value.GetProperty("onDemand").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()),
                new S3RequestPrices(s3.GetProperty("putPer1000").GetDouble(), s3.GetProperty("getPer1000").GetDouble(), Text(s3, "source")),
                dated);
        });
        var ipv4 = root.GetProperty("publicIpv4");
        return new PriceTable(regions.ToList(), asOf, source, ipv4.GetProperty("perHour").GetDouble(), Text(ipv4, "source"));
    }

    private static string Text(JsonElement element, string property) => element.GetProperty(property).GetString() ?? "";
}
