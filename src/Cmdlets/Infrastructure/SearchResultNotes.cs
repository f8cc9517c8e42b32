namespace CloudNonce.Cmdlets.Infrastructure;

/// <summary>What a finished search tells the user beyond its result object: its warnings, and for
/// -Verbose how it went, the odds of the fleet that ran against the plan's, and what it cost. The same
/// lines go to the cmdlet's streams or, with -AsJob, to the job's.</summary>
internal static class SearchResultNotes
{
    public static IEnumerable<string> Warnings(CndSearchResult result) => result.Warnings;

    public static IEnumerable<string> Verbose(CndSearchResult result)
    {
        var inv = CultureInfo.InvariantCulture;
        yield return string.Create(inv,
            $"{result.StopReason} after {result.Elapsed.TotalSeconds:0.###} s: {result.Hashes:N0} nonces at {result.NoncesPerSecond / 1e6:0.##} M nonces/s on {Units(result)}, kernel {result.Kernel}.");
        if (result.Probability is { } actual)
        {
            var planned = result.PlannedProbability is { } p ? string.Create(inv, $"{p:P2} planned for the requested fleet, ") : "";
            yield return string.Create(inv, $"P(success): {planned}{actual:P2} for the {result.PeakInstances} instance(s) that ran.");
        }
        if (result.Coverage is { Complete: false } coverage)
            yield return $"Coverage: {coverage}.";
        if (result.InstanceHours > 0)
        {
            var cost = result.EstimatedCost is { } usd ? string.Create(inv, $", estimated ${usd:0.####}")
                : $" (no price: {string.Join("; ", result.CostBreakdown?.Missing ?? ["pass -PricePerHour"])})";
            yield return string.Create(inv, $"Billed: {result.InstanceHours:0.####} instance-hours{cost}; {result.SpotInstances} spot instance(s), {result.RelaunchedSlots} slot(s) relaunched.");
            if (result.CostBreakdown is { } breakdown)
                yield return $"Cost: {breakdown}.";
        }
    }

    // A local result counts threads, an EC2 one instances; the other count is 0.
    private static string Units(CndSearchResult result) => result.Threads > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{result.Threads} thread(s)")
        : string.Create(CultureInfo.InvariantCulture, $"{result.PeakInstances} instance(s)");
}
