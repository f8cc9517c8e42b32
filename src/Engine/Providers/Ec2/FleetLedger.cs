using CloudNonce.Engine.Pricing;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Every instance a search launched, its market and how long it ran, for the result's
/// worker counts and cost, and for ending exactly those that may still run. Times are passed in by
/// the controller.</summary>
public sealed class FleetLedger
{
    private readonly Dictionary<string, (bool Spot, DateTimeOffset Started, DateTimeOffset? Ended)> _instances = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

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

    /// <summary>Billed instance-hours and their cost in USD (null when a market has no price); instances
    /// still running count up to <paramref name="now"/>, since the search terminates them as it returns.</summary>
    public (double InstanceHours, double? Cost) Cost(DateTimeOffset now, Func<bool, InstancePrice?> price)
    {
        var hours = 0.0;
        double? cost = 0.0;
        foreach (var (spot, started, ended) in _instances.Values)
        {
            var billed = Ec2Billing.BilledHours((ended ?? now) - started);
            hours += billed;
            cost = price(spot) is { } p ? cost + billed * p.PerHour : null;
        }
        return (hours, cost);
    }
}
