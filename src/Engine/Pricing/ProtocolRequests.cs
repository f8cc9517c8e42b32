namespace CloudNonce.Engine.Pricing;

/// <summary>How many S3 requests a search makes, from the protocol's two intervals: the one place
/// that models it, for plans, budgets and results alike.</summary>
public static class ProtocolRequests
{
    /// <summary>The requests of a search that launched <paramref name="launches"/> workers, which
    /// between them reported for <paramref name="workerTime"/> (summed over the workers), while the
    /// controller polled for <paramref name="searchTime"/>.
    /// Per launch: the controller PUTs a manifest, the worker GETs it and the scanner, then PUTs a
    /// progress report every <paramref name="progressInterval"/> and one result. Per search: the
    /// scanner is checked (HEAD) and uploaded once at most. Per poll (every
    /// <paramref name="pollInterval"/>): one LIST of the search's reports, then one GET for each report
    /// that changed since the last poll, so never more GETs than reports written.</summary>
    public static ProtocolRequestCount Count(int launches, TimeSpan workerTime, TimeSpan searchTime, TimeSpan progressInterval, TimeSpan pollInterval)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(launches);
        if (progressInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(progressInterval), progressInterval, "The progress interval must be positive.");
        if (pollInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(pollInterval), pollInterval, "The poll interval must be positive.");
        var reports = Math.Floor(Math.Max(0, workerTime.TotalSeconds) / progressInterval.TotalSeconds) + launches;
        var polls = Math.Ceiling(Math.Max(0, searchTime.TotalSeconds) / pollInterval.TotalSeconds) + 1;
        var readsOfReports = Math.Min(reports, polls * launches);
        return new ProtocolRequestCount(
            Puts: reports + launches + 1,
            Lists: launches == 0 ? 0 : polls,
            Gets: 2.0 * launches + readsOfReports + 1);
    }
}
