using System.Globalization;
using CloudNonce.Engine.Providers;
using CloudNonce.Engine.Search;

namespace CloudNonce.Engine.Planning;

/// <summary>Chooses a worker count. With N units of rate r and a time limit T after a boot overhead
/// b, the search hashes H = N·r·(T − b) nonces and succeeds with P = 1 − exp(−H/2^D), capped by the
/// range: once H covers the range, P is the probability that a golden nonce exists there at all.</summary>
public static class SearchPlanner
{
    public const int DefaultMaxUnits = 50;
    /// <summary>The most units a search may ask for: far beyond any account's EC2 instance limits, so a
    /// larger count is a typing mistake, refused before anything is planned.</summary>
    public const int LargestWorkerCount = 100_000;
    public const double DefaultConfidence = 0.95;
    public const ulong FullRange = 1UL << 32;

    public static SearchPlan Plan(PlanInputs inputs)
    {
        Validate(inputs);
        var confidence = inputs.Confidence ?? (inputs.Units == 0 ? DefaultConfidence : null);
        var exists = Probability.Exists(inputs.RangeSize, inputs.Difficulty);
        var needed = confidence is { } target ? SmallestReaching(inputs, target) : null;
        var units = inputs.Units > 0 ? inputs.Units : (int)Math.Min(needed ?? (ulong)inputs.MaxUnits, (ulong)inputs.MaxUnits);
        var probability = SuccessWith(inputs, units);
        var reachable = confidence is not { } l || probability >= l;
        var hashingSeconds = inputs.RangeSize / (units * inputs.NoncesPerSecondPerUnit);
        var plan = new SearchPlan(inputs)
        {
            Confidence = confidence,
            Units = units,
            Probability = probability,
            ExistenceProbability = exists,
            CoversRange = Hashes(inputs, units) >= inputs.RangeSize,
            SweepTime = inputs.BootOverhead + TimeSpan.FromSeconds(Math.Min(hashingSeconds, TimeSpan.MaxValue.TotalSeconds / 2)),
            Reachable = reachable,
            UnitsNeeded = needed,
            Explanation = "",
        };
        return plan with { Explanation = Explain(plan) };
    }

    /// <summary>The plan for a request on a provider, or null when the provider plans for itself.</summary>
    public static SearchPlan? PlanFor(ISearchProvider provider, SearchRequest request)
    {
        if (provider is not IPlannableProvider plannable) return null;
        var profile = plannable.DescribeUnit(request);
        var plan = Plan(PlanInputs.For(request, profile.Kind, profile.NoncesPerSecondPerUnit, profile.BootOverhead, profile.MaxUnits,
            request.Units > 0 ? request.Units : profile.DefaultUnits));
        return plan with { Unit = profile.Description };
    }

    /// <summary>Time from launch for the plan's units to reach P = <paramref name="target"/>, boot
    /// included; null when no time can (a golden nonce exists in the range with a smaller probability).</summary>
    public static TimeSpan? TimeToReach(SearchPlan plan, double target)
    {
        if (target > plan.ExistenceProbability) return null;
        var hashes = Math.Min(Probability.HashesToReach(target, plan.Difficulty), plan.RangeSize);
        return plan.BootOverhead + TimeSpan.FromSeconds(Math.Min(hashes / (plan.Units * plan.NoncesPerSecondPerUnit), TimeSpan.MaxValue.TotalSeconds / 4));
    }

    private static double SuccessWith(PlanInputs inputs, double units) =>
        Probability.Success(Hashes(inputs, units), inputs.RangeSize, inputs.Difficulty);

    private static double Hashes(PlanInputs inputs, double units) =>
        units * inputs.NoncesPerSecondPerUnit * Math.Max(0, (inputs.TimeLimit - inputs.BootOverhead).TotalSeconds);

    // P grows with N until the range is covered, then stays at the existence probability, so the
    // smallest N with P >= L is found by bisection (the closed form rounds at its edges).
    private static ulong? SmallestReaching(PlanInputs inputs, double confidence)
    {
        if (SuccessWith(inputs, ulong.MaxValue) < confidence) return null;
        ulong low = 1, high = ulong.MaxValue;
        while (low < high)
        {
            var mid = low + (high - low) / 2;
            if (SuccessWith(inputs, mid) >= confidence) high = mid; else low = mid + 1;
        }
        return low;
    }

    private static string Explain(SearchPlan plan)
    {
        var inv = CultureInfo.InvariantCulture;
        var within = string.Create(inv, $"within {plan.TimeLimit.TotalSeconds:0.###} s");
        var outcome = string.Create(inv, $"{plan.UnitKind.Count(plan.Units)} at {plan.NoncesPerSecondPerUnit:0.###e0} nonces/s give P = {Percent(plan.Probability)} {within}");
        if (plan.CoversRange) outcome += string.Create(inv, $" (one pass of the {plan.RangeSize:N0}-nonce range takes {plan.SweepTime.TotalSeconds:0.#} s, so P is the chance a golden nonce exists there)");
        if (plan.Confidence is not { } l) return outcome + ".";
        var target = Percent(l);
        if (plan.Reachable) return $"{outcome}, meeting the target L = {target}.";
        if ((plan.TimeLimit - plan.BootOverhead) <= TimeSpan.Zero)
        {
            var timeNeeded = TimeToReach(plan, l) is { } time ? string.Create(inv, $" {plan.UnitKind.Count(plan.Units)} need {time.TotalSeconds:0.#} s for it.") : "";
            return string.Create(inv, $"No {plan.UnitKind.Noun()} count reaches L = {target}: the time limit ({plan.TimeLimit.TotalSeconds:0.###} s) leaves no time after the boot overhead ({plan.BootOverhead.TotalSeconds:0.###} s).{timeNeeded} Raise -TimeLimit.");
        }
        if (plan.UnitsNeeded is not { } needed)
        {
            return string.Create(inv, $"No {plan.UnitKind.Noun()} count reaches L = {target}: at D = {plan.Difficulty} a golden nonce exists in the {plan.RangeSize:N0}-nonce range with probability {Percent(plan.ExistenceProbability)}. Lower -Difficulty or -Confidence.");
        }
        return string.Create(inv, $"{outcome}, below the target L = {target}: that needs {plan.UnitKind.Count(needed)} (maximum {plan.MaxUnits}). Raise the maximum or -TimeLimit, or lower -Confidence.");
    }

    private static string Percent(double p)
    {
        var percent = p * 100;
        var format = percent is > 0 and < 0.01 ? "0.##e0" : p < 0.9999 ? "0.##" : "0.####";
        return percent.ToString(format, CultureInfo.InvariantCulture) + "%";
    }

    private static void Validate(PlanInputs inputs)
    {
        if (inputs.Difficulty is < 0 or > Hashing.NonceHasher.MaxDifficulty) throw new ArgumentOutOfRangeException(nameof(inputs), inputs.Difficulty, $"Difficulty must be 0..{Hashing.NonceHasher.MaxDifficulty}.");
        if (inputs.Confidence is { } l && !(l > 0 && l <= 1)) throw new ArgumentOutOfRangeException(nameof(inputs), l, "Confidence must be greater than 0 and at most 1.");
        if (!(inputs.NoncesPerSecondPerUnit > 0) || double.IsInfinity(inputs.NoncesPerSecondPerUnit)) throw new ArgumentOutOfRangeException(nameof(inputs), inputs.NoncesPerSecondPerUnit, "The rate per worker must be a positive number of nonces per second.");
        if (inputs.TimeLimit <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(inputs), inputs.TimeLimit, "The time limit must be positive.");
        if (inputs.BootOverhead < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(inputs), inputs.BootOverhead, "The boot overhead cannot be negative.");
        if (inputs.MaxUnits < 1) throw new ArgumentOutOfRangeException(nameof(inputs), inputs.MaxUnits, "The maximum worker count must be at least 1.");
        if (inputs.Units < 0) throw new ArgumentOutOfRangeException(nameof(inputs), inputs.Units, "The worker count cannot be negative (0 = choose).");
        if (inputs.RangeSize is 0 or > FullRange) throw new ArgumentOutOfRangeException(nameof(inputs), inputs.RangeSize, "The range holds 1..2^32 nonces.");
    }
}
