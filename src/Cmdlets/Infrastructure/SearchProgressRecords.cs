namespace CloudNonce.Cmdlets.Infrastructure;

/// <summary>Turns the engine's search progress into Write-Progress records: nonces done, rate,
/// time left (the sweep's or the time limit's, whichever ends first) and units.</summary>
internal sealed class SearchProgressRecords(int activityId, string activity, TimeSpan timeLimit)
{
    public ProgressRecord For(SearchProgress progress)
    {
        var inv = CultureInfo.InvariantCulture;
        var units = progress.UnitsWaiting + progress.UnitsScanning > 0
            ? string.Create(inv, $"{progress.UnitsScanning} running, {progress.UnitsWaiting} pending, {progress.UnitsDone} done")
            : string.Create(inv, $"{progress.UnitsDone} done");
        var status = string.Create(inv,
            $"{progress.NoncesDone:N0} of {progress.NoncesTotal:N0} nonces, {progress.NoncesPerSecond / 1e6:0.0} M nonces/s, workers: {units}");
        var record = new ProgressRecord(activityId, activity, status)
        {
            CurrentOperation = progress.Status,
            PercentComplete = (int)Math.Floor(progress.PercentComplete),
        };
        var left = timeLimit - progress.Elapsed;
        if (progress.EstimatedRemaining is { } eta && eta < left) left = eta;
        record.SecondsRemaining = (int)Math.Max(0, Math.Ceiling(left.TotalSeconds));
        return record;
    }

    public ProgressRecord Completed() => new(activityId, activity, "done") { RecordType = ProgressRecordType.Completed };
}
