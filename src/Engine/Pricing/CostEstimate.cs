namespace CloudNonce.Engine.Pricing;

/// <summary>Instance-hours and what they cost at one hourly price.</summary>
/// <param name="InstanceHours">Billed hours summed over the instances.</param>
/// <param name="Price">Null when the instance type has no price (not in the table, no override).</param>
public sealed record CostEstimate(double InstanceHours, InstancePrice? Price)
{
    /// <summary>USD; null without a price.</summary>
    public double? Total => Price is null ? null : InstanceHours * Price.PerHour;

    public override string ToString() => Price is null
        ? $"{InstanceHours:0.###} instance-hours (no price known for this type: pass -PricePerHour)"
        : $"{InstanceHours:0.###} instance-hours × ${Price.PerHour:0.#####}/h = ${Total:0.####} ({(Price.Spot ? "spot" : "on-demand")}; {Price.Source})";
}

/// <summary>EC2 bills Linux instances, on-demand and spot, per second with a one-minute minimum.</summary>
public static class Ec2Billing
{
    public static readonly TimeSpan MinimumCharge = TimeSpan.FromSeconds(60);

    /// <summary>Billed hours of one instance that ran for <paramref name="runtime"/>.</summary>
    public static double BilledHours(TimeSpan runtime) =>
        (runtime < MinimumCharge ? MinimumCharge : TimeSpan.FromSeconds(Math.Ceiling(runtime.TotalSeconds))).TotalHours;

    /// <summary>The cost of a fleet before launch: each of <paramref name="workers"/> instances runs for
    /// <paramref name="runtime"/> (the plan's time to sweep the range, or the time limit if shorter).</summary>
    public static CostEstimate Estimate(string instanceType, int workers, TimeSpan runtime, bool spot, double? overridePerHour = null, PriceTable? table = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workers);
        var price = (table ?? PriceTable.Default).For(instanceType, spot, overridePerHour);
        return new CostEstimate(workers * BilledHours(runtime), price);
    }
}
