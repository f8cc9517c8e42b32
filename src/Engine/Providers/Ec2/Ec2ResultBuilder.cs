using CloudNonce.Engine.Hashing;
using CloudNonce.Engine.Search;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Turns an EC2 search's state, in whatever phase it ended, into the result users see.</summary>
public static class Ec2ResultBuilder
{
    public static CndSearchResult Build(Ec2RunState state, StopReason reason, NonceVerdict? golden)
    {
        var request = state.Request;
        var book = state.Book;
        var stoppedAt = state.StoppedAt ?? state.Now;
        var cost = state.Meter?.At(state.Ledger, stoppedAt, state.Elapsed.Elapsed);
        var workers = state.Timelines.Reports(stoppedAt);
        var split = SearchTimeSplit.Of(stoppedAt - state.Elapsed.Elapsed, state.Elapsed.Elapsed, workers);
        return new()
        {
            Found = golden is not null,
            Nonce = golden?.Nonce,
            Hash = golden?.HashHex,
            LeadingZeroBits = golden?.LeadingZeroBits ?? 0,
            Difficulty = request.Difficulty,
            Elapsed = state.Elapsed.Elapsed,
            Hashes = book.Hashes,
            // The workers' own rates summed: what the fleet hashes per second while it scans.
            NoncesPerSecond = book.Slots.Sum(s => s.Result?.Scan?.NoncesPerSecond ?? s.Progress?.NoncesPerSecond ?? 0),
            // The fleet that ran: fewer than the slots when EC2 refused some launches.
            PeakInstances = state.PeakInstances,
            Provider = nameof(SearchProviderKind.EC2),
            SearchId = request.SearchId,
            StopReason = reason,
            Kernel = book.Slots.Select(s => s.Result?.Scan?.Kernel).FirstOrDefault(k => !string.IsNullOrEmpty(k)) ?? request.Kernel,
            NonceStart = request.NonceStart,
            NonceEnd = request.NonceEnd,
            BlockHex = HexText.Lower(request.Block),
            Coverage = book.Coverage(reason),
            RelaunchedSlots = book.Relaunched,
            SpotInstances = state.Ledger.SpotCount,
            PlannedProbability = state.PlannedProbability,
            Probability = state.FleetProbability ?? state.PlannedProbability,
            InstanceHours = cost?.InstanceHours ?? 0,
            EstimatedCost = cost?.Total,
            CostBreakdown = cost,
            Warnings = [.. state.Warnings],
            WorkerReports = workers,
            TimeToFirstHash = split.TimeToFirstHash,
            ScanningTime = split.ScanningTime,
            ControllerOverhead = split.ControllerOverhead,
        };
    }
}
