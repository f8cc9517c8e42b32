using System.Globalization;
using CloudNonce.Engine.Planning;
using CloudNonce.Engine.Search;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>-InstanceType Auto, or a list of types: plans the search on each candidate and picks the
/// one whose plan costs least per nonce hashed (boot, minimums, addresses and requests included) among
/// those that reach the confidence target within the time limit and -MaxCost; when none does, the one
/// with the best chance. Each candidate's rate is the one Measure-CndPerformance -Provider EC2 cached,
/// else the documented table's.</summary>
public static class InstanceTypeChooser
{
    public static SearchPlan Choose(IReadOnlyCollection<string> candidates, SearchRequest request, Ec2PlanBuilder builder, Func<string, InstanceTypeRate?> measured)
    {
        var inv = CultureInfo.InvariantCulture;
        var considered = new List<(SearchPlan Plan, double PerNonce, bool Measured)>();
        var unpriced = new List<string>();
        foreach (var type in candidates)
        {
            var cached = measured(type);
            var rate = cached ?? InstanceTypeRates.For(type);
            var plan = builder.Plan(request, rate);
            var hashed = Math.Min(plan.RangeSize, plan.Units * rate.NoncesPerSecond * Math.Max(0, (plan.TimeLimit - plan.BootOverhead).TotalSeconds));
            if (plan.EstimatedCost is not { } cost || plan.Refusal is not null || hashed <= 0)
            {
                unpriced.Add(plan.Refusal is not null ? $"{type} ({plan.Refusal})"
                    : plan.EstimatedCost is null ? $"{type} ({string.Join("; ", plan.CostBreakdown?.Missing ?? [])})" : $"{type} (hashes nothing within the time limit)");
                continue;
            }
            considered.Add((plan, cost / hashed, cached is not null));
        }
        if (considered.Count == 0)
            throw new InvalidOperationException($"No instance type to choose from has a usable plan: {string.Join("; ", unpriced)}.");
        var reaching = considered.Where(c => c.Plan.Reachable).ToList();
        var (chosen, perNonce, wasMeasured) = reaching.Count > 0 ? reaching.MinBy(c => c.PerNonce)
            : considered.OrderByDescending(c => c.Plan.Probability).ThenBy(c => c.PerNonce).First();
        var why = reaching.Count > 0
            ? $"the lowest cost per nonce of the {reaching.Count} type(s) whose plan meets the target"
            : $"none of the {considered.Count} priced type(s) meets the target, so the best chance";
        var others = string.Join(", ", considered.Where(c => c.Plan != chosen).OrderBy(c => c.PerNonce)
            .Select(c => string.Create(inv, $"{c.Plan.InstanceType} ${c.PerNonce * 1e12:0.###}")));
        return chosen with
        {
            InstanceChoice = string.Create(inv,
                $"{chosen.InstanceType}: {why}, ${perNonce * 1e12:0.###} per 10^12 nonces at {chosen.NoncesPerSecondPerUnit / 1e6:0.#} M nonces/s per instance ({(wasMeasured ? "measured by Measure-CndPerformance -Provider EC2" : "the documented rate table")})") +
                (others.Length > 0 ? $"; others per 10^12 nonces: {others}" : "") +
                (unpriced.Count > 0 ? $"; left out: {string.Join("; ", unpriced)}" : "") + ".",
        };
    }
}
