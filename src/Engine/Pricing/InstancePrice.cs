namespace CloudNonce.Engine.Pricing;

/// <summary>What an hour of one instance costs, and where that figure comes from.</summary>
/// <param name="InstanceType">The EC2 instance type, e.g. c7i.large.</param>
/// <param name="Spot">Whether this is a spot price rather than the on-demand price.</param>
/// <param name="PerHour">USD per instance-hour.</param>
/// <param name="Source">The table, region and date; the spot price history it was read from; or "-PricePerHour".</param>
public sealed record InstancePrice(string InstanceType, bool Spot, double PerHour, string Source)
{
    public string Market => Spot ? "spot" : "on-demand";

    /// <summary>The user's -PricePerHour, which wins for every type and market.</summary>
    public static InstancePrice Override(string instanceType, bool spot, double perHour)
    {
        if (!(perHour >= 0) || double.IsInfinity(perHour))
            throw new ArgumentOutOfRangeException(nameof(perHour), perHour, "A price per hour is a non-negative number of USD.");
        return new InstancePrice(instanceType, spot, perHour, "-PricePerHour");
    }
}
