namespace CloudNonce.Engine.Search;

/// <summary>Where a fleet search's time went, from its start to the moment it stopped; the three parts
/// add up to its Elapsed.</summary>
/// <param name="TimeToFirstHash">From the start to the first worker's first hash: the controller's
/// preparation (checks, bucket, scanner upload), the launch, the boot, the scanner's download and
/// check. Null when no worker started scanning.</param>
/// <param name="ScanningTime">From the first hash to the end of the scan that decided the search: the
/// golden one's, else the last to end.</param>
/// <param name="ControllerOverhead">The rest: the controller noticing the deciding report (up to one poll
/// interval) and acting on it; all of Elapsed when nothing scanned.</param>
public sealed record SearchTimeSplit(TimeSpan? TimeToFirstHash, TimeSpan ScanningTime, TimeSpan ControllerOverhead)
{
    public static SearchTimeSplit Of(DateTimeOffset startedAt, TimeSpan elapsed, IReadOnlyList<CndWorkerReport> workers)
    {
        var starts = workers.Select(w => w.ScanStarted).OfType<DateTimeOffset>().ToList();
        if (starts.Count == 0)
            return new SearchTimeSplit(null, TimeSpan.Zero, elapsed);
        var toFirstHash = Clamp(starts.Min() - startedAt, elapsed);
        var deciding = workers.FirstOrDefault(w => w.Outcome == CndWorkerOutcome.Found)?.ScanEnded
                       ?? workers.Select(w => w.ScanEnded).OfType<DateTimeOffset>().DefaultIfEmpty(startedAt + elapsed).Max();
        var scanning = Clamp(deciding - starts.Min(), elapsed - toFirstHash);
        return new SearchTimeSplit(toFirstHash, scanning, elapsed - toFirstHash - scanning);
    }

    /// <summary>A search on this machine hashes from its first moment: all of it is scanning.</summary>
    public static SearchTimeSplit AllScanning(TimeSpan elapsed) => new(TimeSpan.Zero, elapsed, TimeSpan.Zero);

    private static TimeSpan Clamp(TimeSpan value, TimeSpan max) => value < TimeSpan.Zero ? TimeSpan.Zero : value > max ? max : value;
}
