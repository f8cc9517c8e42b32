using System.Globalization;

namespace CloudNonce.Engine.Planning;

/// <summary>Warnings a fleet plan deserves before anything is launched: a time limit that ends before
/// a worker has booted (billed, hashing nothing), and a difficulty so low that this machine alone finds
/// a golden nonce before one worker has booted.</summary>
public static class PlanAdvice
{
    /// <summary>A local rate above this is more than any one machine does today: with it, the local
    /// comparison is skipped without measuring anything.</summary>
    private const double FastestLocalRate = 1e10;

    /// <param name="plan">The fleet's plan.</param>
    /// <param name="localRate">Measures this machine's rate (nonces/s, all cores); called only when
    /// the difficulty is low enough for this machine to matter.</param>
    public static IReadOnlyList<string> For(SearchPlan plan, Func<double>? localRate)
    {
        var inv = CultureInfo.InvariantCulture;
        var warnings = new List<string>();
        var target = plan.Confidence ?? SearchPlanner.DefaultConfidence;
        var hashes = Math.Min(Probability.HashesToReach(target, plan.Difficulty), plan.RangeSize);
        if (plan.TimeLimit <= plan.BootOverhead)
        {
            var needed = SearchPlanner.TimeToReach(plan, target) is { } time
                ? string.Create(inv, $"{plan.UnitKind.Count(plan.Units)} need {time.TotalSeconds:0.#} s for P = {target:P0}")
                : string.Create(inv, $"a worker needs more than {plan.BootOverhead.TotalSeconds:0.#} s to hash anything");
            warnings.Add(string.Create(inv,
                $"The time limit ({plan.TimeLimit.TotalSeconds:0.#} s) ends before a worker has booted ({plan.BootOverhead.TotalSeconds:0.#} s from launch to hashing): " +
                $"P = 0, and each of the {plan.Units} instance(s) is still billed for at least 60 s; {needed}: raise -TimeLimit."));
        }
        if (localRate is not null && target <= plan.ExistenceProbability && hashes / FastestLocalRate < plan.BootOverhead.TotalSeconds)
        {
            var rate = localRate();
            var local = TimeSpan.FromSeconds(hashes / rate);
            if (local < plan.BootOverhead)
                warnings.Add(string.Create(inv,
                    $"This machine alone ({rate / 1e6:0.#} M nonces/s) reaches P = {target:P0} at D = {plan.Difficulty} in {local.TotalSeconds:0.###} s, " +
                    $"sooner than one EC2 worker boots ({plan.BootOverhead.TotalSeconds:0.#} s): -Provider Local is faster, and free."));
        }
        return warnings;
    }
}
