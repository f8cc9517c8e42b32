using CloudNonce.Engine.Pricing;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Every instance a search launched, its market and how long it ran, for the result's
/// worker counts and cost, and for ending exactly those that may still run. Times are passed in by
/// the controller.</summary>
public sealed class FleetLedger
{
    private readonly Dictionary<string, (bool Spot, DateTimeOffset Started, DateTimeOffset? Ended)> _instances = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly HashSet<string> _publicIpv4 = new(StringComparer.Ordinal);

    public int Count => _instances.Count;
    public int SpotCount => _instances.Values.Count(i => i.Spot);

    /// <summary>Launched and not seen to end: what the search must terminate as it ends.</summary>
    public IReadOnlyList<string> MayBeAlive => _instances.Where(i => i.Value.Ended is null).Select(i => i.Key).ToList();

    /// <summary>DescribeInstances has shown the instance: EC2 knows it, so a later "not found" means it
    /// is long gone rather than not visible yet.</summary>
    public void Seen(string instanceId) => _seen.Add(instanceId);

    public bool WasSeen(string instanceId) => _seen.Contains(instanceId);

    public void Launched(string instanceId, bool spot, DateTimeOffset now) => _instances.TryAdd(instanceId, (spot, now, null));

    /// <summary>The controller saw the instance end (or ended it); the first sighting counts.</summary>
    public void Ended(string instanceId, DateTimeOffset now)
    {
        if (_instances.TryGetValue(instanceId, out var entry) && entry.Ended is null)
            _instances[instanceId] = entry with { Ended = now };
    }

    /// <summary>DescribeInstances showed the instance with a public IPv4 address, which is billed by the hour.</summary>
    public void HasPublicIpv4(string instanceId) => _publicIpv4.Add(instanceId);

    /// <summary>What the fleet used up to <paramref name="now"/>: billed hours per market (60 s minimum
    /// each), address-hours, and running time for the protocol's requests. Instances still running
    /// count up to <paramref name="now"/>, since the search terminates them as it returns.</summary>
    public FleetUsage Usage(DateTimeOffset now, TimeSpan searchTime, TimeSpan progressInterval, TimeSpan pollInterval)
    {
        double onDemand = 0, spot = 0, addresses = 0;
        var running = TimeSpan.Zero;
        foreach (var (id, (isSpot, started, ended)) in _instances)
        {
            var ran = (ended ?? now) - started;
            if (ran < TimeSpan.Zero) ran = TimeSpan.Zero;
            var billed = Ec2Billing.BilledHours(ran);
            if (isSpot) spot += billed; else onDemand += billed;
            if (_publicIpv4.Contains(id)) addresses += ran.TotalHours;
            running += ran;
        }
        return new FleetUsage
        {
            Launches = _instances.Count,
            OnDemandHours = onDemand,
            SpotHours = spot,
            PublicIpv4Hours = addresses,
            WorkerTime = running,
            SearchTime = searchTime,
            ProgressInterval = progressInterval,
            PollInterval = pollInterval,
        };
    }
}
