namespace CloudNonce.Engine.Pricing;

/// <summary>The prices a fleet's usage is costed at, all of one region.</summary>
/// <param name="Region">The search's region; null when none is set.</param>
/// <param name="OnDemand">The instance type's on-demand price (the table's, or -PricePerHour).</param>
/// <param name="Spot">Its spot price (live, or -PricePerHour); only needed when spot instances run.</param>
/// <param name="S3Requests">S3's request prices in the region; null when the table lacks the region.</param>
/// <param name="PublicIpv4PerHour">USD per hour of a public IPv4 address.</param>
/// <param name="PublicIpv4Source">Where that figure comes from.</param>
public sealed record FleetPrices(string? Region, PriceQuote OnDemand, PriceQuote Spot, S3RequestPrices? S3Requests,
    double PublicIpv4PerHour, string PublicIpv4Source)
{
    /// <summary>The prices of a type in a region from a table; the spot quote comes from elsewhere (live).</summary>
    public static FleetPrices From(PriceTable table, string? region, string instanceType, PriceQuote spot, double? overridePerHour)
    {
        var regional = table.For(region);
        var onDemand = overridePerHour is { } given ? PriceQuote.Known(InstancePrice.Override(instanceType, false, given))
            : region is null ? PriceQuote.Unknown($"no region is set, so no on-demand price for {instanceType}: pass -Region, or -PricePerHour")
            : regional is null ? PriceQuote.Unknown($"the price table ({table.AsOf:yyyy-MM-dd}) does not cover region {region} (it covers {string.Join(", ", table.Regions)}): pass -PricePerHour")
            : regional.OnDemand(instanceType) is { } listed ? PriceQuote.Known(listed)
            : PriceQuote.Unknown($"the price table ({table.AsOf:yyyy-MM-dd}) has no on-demand price for {instanceType} in {region}: pass -PricePerHour");
        var spotQuote = overridePerHour is { } perHour ? PriceQuote.Known(InstancePrice.Override(instanceType, true, perHour)) : spot;
        return new FleetPrices(region, onDemand, spotQuote, regional?.S3Requests, table.PublicIpv4PerHour, table.PublicIpv4Source);
    }

    /// <summary>The quote for one market.</summary>
    public PriceQuote For(bool spot) => spot ? Spot : OnDemand;
}
