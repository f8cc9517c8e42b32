namespace CloudNonce.Engine.Pricing;

/// <summary>EC2 bills Linux instances, on-demand and spot, per second with a one-minute minimum.</summary>
public static class Ec2Billing
{
    public static readonly TimeSpan MinimumCharge = TimeSpan.FromSeconds(60);

    /// <summary>Billed hours of one instance that ran for <paramref name="runtime"/>.</summary>
    public static double BilledHours(TimeSpan runtime) =>
        (runtime < MinimumCharge ? MinimumCharge : TimeSpan.FromSeconds(Math.Ceiling(runtime.TotalSeconds))).TotalHours;
}
