using CloudNonce.Engine.Planning;
using CloudNonce.Engine.Pricing;
using CloudNonce.Engine.Search;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Makes an EC2 search's plan for one instance type: the worker count (within -MaxCost when
/// there is one) and the fleet's cost, part by part, at the region's prices: the table's on-demand
/// price or the live spot quote, or -PricePerHour. Plans assume a public IPv4 address per worker, as
/// the default VPC gives them.</summary>
public sealed class Ec2PlanBuilder(Ec2Options options, string? region, IReadOnlyDictionary<string, PriceQuote> spotQuotes, PriceTable? table = null)
{
    private readonly PriceTable _table = table ?? PriceTable.Default;

    public string? Region => region;

    public FleetPrices PricesFor(string instanceType) => FleetPrices.From(_table, region, instanceType,
        spotQuotes.TryGetValue(instanceType, out var quote) ? quote
            : PriceQuote.Unknown(region is null ? "no region is set, so no spot price: pass -Region, or -PricePerHour" : $"no spot price was looked up for {instanceType}: pass -PricePerHour"),
        options.PricePerHour);

    public SearchPlan Plan(SearchRequest request, InstanceTypeRate rate)
    {
        var prices = PricesFor(rate.InstanceType);
        var inputs = PlanInputs.For(request, PlanUnit.Instance, rate.NoncesPerSecond, rate.BootOverhead, options.MaxInstances, request.Units);
        var plan = options.MaxCost is { } cap
            ? BudgetPlanner.Plan(inputs, cap, (instances, timeLimit) => Cost(instances, timeLimit, rate, request.RangeSize, prices).Total)
            : SearchPlanner.Plan(inputs);
        return plan with
        {
            Unit = $"one {rate.InstanceType} instance ({rate.Source})",
            InstanceType = rate.InstanceType,
            CostBreakdown = Cost(plan.Units, plan.TimeLimit, rate, request.RangeSize, prices),
        };
    }

    /// <summary>The plan with the warnings it deserves before launch.</summary>
    public SearchPlan Advise(SearchPlan plan) => plan with { Warnings = [.. plan.Warnings, .. PlanAdvice.For(plan, options.LocalNoncesPerSecond)] };

    /// <summary>The cost of N instances given a time limit: each bills until the range is swept or the
    /// time limit ends it, with EC2's minimum.</summary>
    public CostBreakdown Cost(int instances, TimeSpan timeLimit, InstanceTypeRate rate, ulong rangeSize, FleetPrices prices)
    {
        var sweep = rate.BootOverhead + TimeSpan.FromSeconds(Math.Min(rangeSize / (instances * rate.NoncesPerSecond), TimeSpan.MaxValue.TotalSeconds / 4));
        var runtime = sweep < timeLimit ? sweep : timeLimit;
        var reporting = options.ReportingFor(timeLimit);
        return FleetCostModel.Price(FleetUsage.Planned(instances, runtime, rate.BootOverhead, options.Spot, publicIpv4: true,
            reporting.ProgressInterval, reporting.PollInterval), prices);
    }
}
