using System.Globalization;
using Amazon.EC2;
using Amazon.EC2.Model;
using CloudNonce.Engine.Aws;
using CloudNonce.Engine.Pricing;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Current spot prices from EC2's spot price history (DescribeSpotPriceHistory), which gives
/// one price per instance type and Availability Zone. A search may land in any zone of its region, so
/// a type's quote is the highest of the zones' latest prices: the estimate errs towards paying more.</summary>
public static class SpotPriceLookup
{
    /// <summary>Linux spot prices; EC2 names them either way depending on the account's age.</summary>
    private static readonly List<string> LinuxProducts = ["Linux/UNIX", "Linux/UNIX (Amazon VPC)"];

    /// <summary>A quote per type: its price, or why there is none. Never throws for AWS trouble: a plan
    /// without a spot price says why and asks for -PricePerHour.</summary>
    public static async Task<IReadOnlyDictionary<string, PriceQuote>> CurrentAsync(IAmazonEC2 ec2, string region, IReadOnlyCollection<string> instanceTypes,
        DateTimeOffset now, CancellationToken ct)
    {
        var latest = new Dictionary<(string Type, string Zone), SpotPrice>();
        try
        {
            var request = new DescribeSpotPriceHistoryRequest
            {
                InstanceTypes = [.. instanceTypes],
                ProductDescriptions = LinuxProducts,
                // A start time of now asks for the price in effect now in each zone.
                StartTime = now.UtcDateTime,
            };
            do
            {
                var response = await ec2.DescribeSpotPriceHistoryAsync(request, ct);
                foreach (var price in response.SpotPriceHistory ?? [])
                {
                    var key = (price.InstanceType?.Value ?? "", price.AvailabilityZone ?? "");
                    if (!latest.TryGetValue(key, out var seen) || (price.Timestamp ?? DateTime.MinValue) > (seen.Timestamp ?? DateTime.MinValue))
                        latest[key] = price;
                }
                request.NextToken = response.NextToken;
            } while (!string.IsNullOrEmpty(request.NextToken));
        }
        catch (Exception e) when (e is AmazonEC2Exception or Amazon.Runtime.AmazonClientException or HttpRequestException or AwsConfigurationException)
        {
            var why = $"the spot price could not be read (DescribeSpotPriceHistory in {region}: {AwsPermissionError.Describe(e) ?? e.Message}): pass -PricePerHour";
            return instanceTypes.ToDictionary(t => t, _ => PriceQuote.Unknown(why), StringComparer.OrdinalIgnoreCase);
        }
        return instanceTypes.ToDictionary(t => t, t => Quote(t, region, now, latest.Where(p => string.Equals(p.Key.Type, t, StringComparison.OrdinalIgnoreCase)).Select(p => p.Value).ToList()),
            StringComparer.OrdinalIgnoreCase);
    }

    private static PriceQuote Quote(string instanceType, string region, DateTimeOffset now, IReadOnlyList<SpotPrice> zones)
    {
        var priced = zones.Select(z => (Zone: z.AvailabilityZone, PerHour: double.TryParse(z.Price, NumberStyles.Float, CultureInfo.InvariantCulture, out var usd) ? usd : double.NaN))
            .Where(z => double.IsFinite(z.PerHour)).ToList();
        if (priced.Count == 0)
            return PriceQuote.Unknown($"EC2 has no spot price for {instanceType} in {region} (not offered as spot there): pass -PricePerHour, or leave out -Spot");
        var highest = priced.MaxBy(z => z.PerHour);
        return PriceQuote.Known(new InstancePrice(instanceType, true, highest.PerHour,
            $"DescribeSpotPriceHistory at {now:yyyy-MM-dd HH:mm}Z, the highest of {priced.Count} zone(s) in {region} ({highest.Zone})"));
    }
}
