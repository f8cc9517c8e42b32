namespace CloudNonce.Engine.Pricing;

/// <summary>What a fleet used, planned or measured: billed instance-hours per market (the 60 s
/// minimum included), hours of public IPv4 addresses, and what the protocol's requests depend on.</summary>
public sealed record FleetUsage
{
    public int Launches { get; init; }
    public double OnDemandHours { get; init; }
    public double SpotHours { get; init; }
    /// <summary>Hours the instances that have a public IPv4 address held it.</summary>
    public double PublicIpv4Hours { get; init; }
    /// <summary>Time the workers reported for, summed over them.</summary>
    public TimeSpan WorkerTime { get; init; }
    /// <summary>Time the controller polled for.</summary>
    public TimeSpan SearchTime { get; init; }
    public required TimeSpan ProgressInterval { get; init; }
    public required TimeSpan PollInterval { get; init; }

    /// <summary>A plan's fleet: <paramref name="instances"/> instances of one market each running for
    /// <paramref name="runtime"/>, reporting from the end of their boot.</summary>
    public static FleetUsage Planned(int instances, TimeSpan runtime, TimeSpan bootOverhead, bool spot, bool publicIpv4,
        TimeSpan progressInterval, TimeSpan pollInterval)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(instances);
        var billed = instances * Ec2Billing.BilledHours(runtime);
        var reporting = runtime > bootOverhead ? runtime - bootOverhead : TimeSpan.Zero;
        return new FleetUsage
        {
            Launches = instances,
            OnDemandHours = spot ? 0 : billed,
            SpotHours = spot ? billed : 0,
            PublicIpv4Hours = publicIpv4 ? instances * runtime.TotalHours : 0,
            WorkerTime = reporting * instances,
            SearchTime = runtime,
            ProgressInterval = progressInterval,
            PollInterval = pollInterval,
        };
    }
}
