using System.Globalization;

namespace CloudNonce.Engine.Pricing;

/// <summary>What a search costs, part by part: instance time (60 s minimum per instance), the public
/// IPv4 address of each worker that has one, and the protocol's S3 requests, each at the price of the
/// search's region. <see cref="Total"/> is null when the instances have no price (a region or type the
/// table lacks, and no -PricePerHour); a smaller part without a price (S3 requests in a region the table
/// lacks) is left out of it. <see cref="Missing"/> says what has no price and why.</summary>
public sealed record CostBreakdown(string? Region, IReadOnlyList<CostPart> Parts, IReadOnlyList<string> Missing)
{
    /// <summary>USD; null when the instances have no price.</summary>
    public double? Total => Parts.Any(p => p.Unit == CostUnits.InstanceHours && p.Usd is null) ? null : Parts.Sum(p => p.Usd ?? 0);

    /// <summary>Billed instance-hours, both markets, minimums included.</summary>
    public double InstanceHours => Parts.Where(p => p.Unit == CostUnits.InstanceHours).Sum(p => p.Quantity);

    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var parts = string.Join("; ", Parts);
        var gaps = Missing.Count == 0 ? "" : $"; not priced: {string.Join("; ", Missing)}";
        return Total is { } total
            ? string.Create(inv, $"${total:0.####} in {Region} ({parts}{gaps})")
            : $"unknown: {string.Join("; ", Missing)} ({parts})";
    }
}
