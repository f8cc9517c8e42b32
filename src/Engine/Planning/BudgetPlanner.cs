using System.Globalization;

namespace CloudNonce.Engine.Planning;

/// <summary>Plans within a cost cap (-MaxCost). The cost of a fleet grows with its size and its time,
/// so for each worker count the longest time the cap pays for is found by bisection, then:
/// with a fixed count, the plan says how long the cap keeps that fleet running, or refuses when even
/// the billing minimum is above the cap; with the count left open, the cheapest fleet that reaches
/// the confidence target (the default one when none is given), else the best chance the cap can buy
/// (unreachable only when the user asked for that confidence).</summary>
public static class BudgetPlanner
{
    /// <summary>Below this the cost curve is not worth resolving: a time limit is whole tenths of a second.</summary>
    private static readonly TimeSpan Resolution = TimeSpan.FromSeconds(0.1);

    /// <param name="inputs">The plan's inputs as without a cap.</param>
    /// <param name="maxCost">The cap, USD.</param>
    /// <param name="costOf">USD of a fleet of N units given a time limit T (each bills until the range
    /// is swept or T ends it, minimums included); null when there is no price.</param>
    public static SearchPlan Plan(PlanInputs inputs, double maxCost, Func<int, TimeSpan, double?> costOf)
    {
        if (!(maxCost >= 0) || double.IsInfinity(maxCost))
            throw new ArgumentOutOfRangeException(nameof(maxCost), maxCost, "-MaxCost is a non-negative number of USD.");
        var unpriced = SearchPlanner.Plan(inputs);
        if (costOf(Math.Max(1, inputs.Units), inputs.TimeLimit) is null)
            return unpriced with { MaxCost = maxCost, Refusal = "-MaxCost needs a price for the instances, and there is none (see the cost breakdown): pass -PricePerHour." };
        return inputs.Units > 0 ? FixedFleet(inputs, maxCost, costOf) : ChosenFleet(inputs, maxCost, costOf);
    }

    private static SearchPlan FixedFleet(PlanInputs inputs, double maxCost, Func<int, TimeSpan, double?> costOf)
    {
        var units = inputs.Units;
        if (LongestAffordable(units, inputs.TimeLimit, maxCost, costOf) is not { } time)
        {
            var minimum = costOf(units, Resolution)!.Value;
            var affordable = Enumerable.Range(1, units - 1).LastOrDefault(n => costOf(n, Resolution) <= maxCost);
            var fewer = affordable > 0 ? $", or -VMCount {affordable} or fewer" : "";
            return SearchPlanner.Plan(inputs) with
            {
                MaxCost = maxCost,
                Refusal = string.Create(CultureInfo.InvariantCulture,
                    $"{units} instance(s) cost at least ${minimum:0.####} (EC2 bills each for at least 60 s), more than -MaxCost ${maxCost:0.####}: raise -MaxCost to ${minimum:0.####}{fewer}."),
            };
        }
        return Capped(inputs with { TimeLimit = time }, inputs.TimeLimit, maxCost);
    }

    private static SearchPlan ChosenFleet(PlanInputs inputs, double maxCost, Func<int, TimeSpan, double?> costOf)
    {
        var candidates = new List<(SearchPlan Plan, double Cost)>();
        for (var units = 1; units <= inputs.MaxUnits; units++)
        {
            // Cost grows with the fleet: once the minimum charge of N units passes the cap, no larger N fits.
            if (LongestAffordable(units, inputs.TimeLimit, maxCost, costOf) is not { } time) break;
            var plan = Capped(inputs with { Units = units, TimeLimit = time }, inputs.TimeLimit, maxCost);
            candidates.Add((plan, costOf(units, time)!.Value));
        }
        if (candidates.Count == 0)
        {
            var minimum = costOf(1, Resolution)!.Value;
            return SearchPlanner.Plan(inputs) with
            {
                MaxCost = maxCost,
                Refusal = string.Create(CultureInfo.InvariantCulture,
                    $"One instance costs at least ${minimum:0.####} (EC2 bills it for at least 60 s), more than -MaxCost ${maxCost:0.####}: raise -MaxCost to ${minimum:0.####}."),
            };
        }
        // Without a target of the user's, the default one still keeps the cap from being spent for nothing.
        var target = inputs.Confidence ?? SearchPlanner.DefaultConfidence;
        var reaching = candidates.Where(c => c.Plan.Probability >= target).ToList();
        var best = reaching.Count > 0
            ? reaching.MinBy(c => c.Cost).Plan
            : candidates.OrderByDescending(c => c.Plan.Probability).ThenBy(c => c.Cost).First().Plan;
        if (inputs.Confidence is { } l && reaching.Count == 0)
        {
            return best with
            {
                Confidence = l,
                Reachable = false,
                Explanation = string.Create(CultureInfo.InvariantCulture,
                    $"-MaxCost ${maxCost:0.####} buys at best P = {best.Probability:P2} ({best.UnitKind.Count(best.Units)} for {best.TimeLimit.TotalSeconds:0.#} s), below L = {l:P2}. Raise -MaxCost or lower -Confidence."),
            };
        }
        return best;
    }

    /// <summary>The plan for a time the cap allows, saying so when that is shorter than the time limit.</summary>
    private static SearchPlan Capped(PlanInputs affordable, TimeSpan timeLimit, double maxCost)
    {
        var plan = SearchPlanner.Plan(affordable) with { MaxCost = maxCost };
        if (affordable.TimeLimit >= timeLimit) return plan;
        return plan with
        {
            BudgetTime = affordable.TimeLimit,
            Explanation = plan.Explanation + string.Create(CultureInfo.InvariantCulture,
                $" -MaxCost ${maxCost:0.####} keeps {affordable.UnitKind.Count(affordable.Units)} running for {affordable.TimeLimit.TotalSeconds:0.#} s of the {timeLimit.TotalSeconds:0.#} s -TimeLimit: the search ends then (StopReason Budget)."),
        };
    }

    /// <summary>The longest time up to <paramref name="timeLimit"/> that N units can run within the
    /// cap, to <see cref="Resolution"/>; null when even the shortest run (the billing minimum) costs more.</summary>
    private static TimeSpan? LongestAffordable(int units, TimeSpan timeLimit, double maxCost, Func<int, TimeSpan, double?> costOf)
    {
        if (costOf(units, timeLimit) <= maxCost) return timeLimit;
        if (!(costOf(units, Resolution) <= maxCost)) return null;
        var low = Resolution.Ticks;
        var high = timeLimit.Ticks;
        while (high - low > 1)
        {
            var mid = low + (high - low) / 2;
            if (costOf(units, TimeSpan.FromTicks(mid)) <= maxCost) low = mid; else high = mid;
        }
        return TimeSpan.FromTicks(low - low % Resolution.Ticks);
    }
}
