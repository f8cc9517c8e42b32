namespace CloudNonce.Engine.Pricing;

/// <summary>Turns a fleet's usage into its cost, part by part, at one region's prices.</summary>
public static class FleetCostModel
{
    public static CostBreakdown Price(FleetUsage usage, FleetPrices prices)
    {
        var parts = new List<CostPart>();
        var missing = new List<string>();
        AddInstances(parts, missing, usage.OnDemandHours, prices.OnDemand);
        AddInstances(parts, missing, usage.SpotHours, prices.Spot);
        if (usage.PublicIpv4Hours > 0)
            parts.Add(new CostPart("public IPv4 addresses", usage.PublicIpv4Hours, CostUnits.AddressHours, prices.PublicIpv4PerHour, prices.PublicIpv4Source));
        if (usage.Launches > 0)
            AddRequests(parts, missing, ProtocolRequests.Count(usage.Launches, usage.WorkerTime, usage.SearchTime, usage.ProgressInterval, usage.PollInterval), prices);
        return new CostBreakdown(prices.Region, parts, missing);
    }

    private static void AddInstances(List<CostPart> parts, List<string> missing, double hours, PriceQuote quote)
    {
        if (hours <= 0) return;
        if (quote.Price is { } price)
        {
            parts.Add(new CostPart($"instances, {price.Market} {price.InstanceType}", hours, CostUnits.InstanceHours, price.PerHour, price.Source));
            return;
        }
        missing.Add(quote.Missing ?? "no instance price");
        parts.Add(new CostPart("instances", hours, CostUnits.InstanceHours, null, quote.Missing ?? "no price"));
    }

    private static void AddRequests(List<CostPart> parts, List<string> missing, ProtocolRequestCount requests, FleetPrices prices)
    {
        var s3 = prices.S3Requests;
        var why = s3?.Source ?? $"the price table has no S3 request prices for region {prices.Region ?? "(none set)"}";
        if (s3 is null) missing.Add(why);
        parts.Add(new CostPart("S3 PUT and LIST requests", requests.PutClass, CostUnits.Requests, s3?.PutPer1000 / 1000, why));
        parts.Add(new CostPart("S3 GET requests", requests.Gets, CostUnits.Requests, s3?.GetPer1000 / 1000, why));
    }
}
