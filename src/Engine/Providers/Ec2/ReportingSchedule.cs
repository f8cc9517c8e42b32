namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>How often the workers and the controller talk through S3 in one search, and when a quiet
/// worker counts as lost. Every progress report is a PUT and every poll a LIST or a few GETs, so the
/// intervals are what the protocol costs; they grow with the time limit, where a report every two
/// seconds buys nothing a report every ten does not.</summary>
/// <param name="ProgressInterval">Between a worker's progress reports (each a PUT). A worker also
/// reports once as its scan starts, so the controller hears of it without waiting an interval.</param>
/// <param name="PollInterval">Between the controller's reads of the reports: how late it can notice a
/// golden nonce, so it stays short.</param>
/// <param name="SilenceTimeout">A scanning worker with no new progress for this long is lost.</param>
public sealed record ReportingSchedule(TimeSpan ProgressInterval, TimeSpan PollInterval, TimeSpan SilenceTimeout)
{
    /// <summary>The shortest progress interval: what a search of a minute or less gets.</summary>
    public static readonly TimeSpan MinProgressInterval = TimeSpan.FromSeconds(2);
    /// <summary>The longest: a lost worker's slot resumes from its last report, so at most this much of
    /// its scanning is done twice.</summary>
    public static readonly TimeSpan MaxProgressInterval = TimeSpan.FromSeconds(60);
    /// <summary>Reports per time limit, between the bounds above: a 5-minute search reports every 10 s.</summary>
    public const int ReportsPerTimeLimit = 30;
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);
    /// <summary>A worker's PUT retries for up to about 45 s before it gives up on one report, so no
    /// worker is called silent sooner than this.</summary>
    public static readonly TimeSpan MinSilenceTimeout = TimeSpan.FromSeconds(30);
    /// <summary>Reports a worker may miss (a slow upload, a report skipped behind it) before it is lost.</summary>
    public const int MissedReportsBeforeLost = 4;

    /// <summary>The schedule a search of <paramref name="timeLimit"/> gets unless its options say otherwise.</summary>
    public static ReportingSchedule For(TimeSpan timeLimit)
    {
        var progress = TimeSpan.FromSeconds(Math.Clamp(Math.Round(timeLimit.TotalSeconds / ReportsPerTimeLimit),
            MinProgressInterval.TotalSeconds, MaxProgressInterval.TotalSeconds));
        return new ReportingSchedule(progress, DefaultPollInterval, SilenceTimeoutFor(progress));
    }

    public static TimeSpan SilenceTimeoutFor(TimeSpan progressInterval) =>
        TimeSpan.FromTicks(Math.Max(MinSilenceTimeout.Ticks, MissedReportsBeforeLost * progressInterval.Ticks));

    /// <summary>The S3 requests a search of <paramref name="workers"/> workers makes while they scan for
    /// <paramref name="scanTime"/> (each one attempt), as the controller reads reports
    /// (<see cref="ReportPollPlan"/>): for the cost model. Setting up (the bucket, the scanner's upload,
    /// one manifest PUT per launch) is a handful of requests per search and is counted too.</summary>
    public S3RequestCounts RequestsFor(int workers, TimeSpan scanTime)
    {
        if (workers <= 0 || scanTime <= TimeSpan.Zero)
            return S3RequestCounts.None;
        var reportsPerWorker = Math.Ceiling(scanTime / ProgressInterval);
        var polls = Math.Ceiling(scanTime / PollInterval);
        // Each worker: its first report, its progress reports and its result (PUTs); the manifest and
        // the scanner it downloads (GETs).
        var workerPuts = workers * (reportsPerWorker + 2);
        var workerGets = workers * 2.0;
        // The controller: one manifest PUT per launch (one launch when nothing is lost); each poll either
        // lists the search once or asks each scanning worker's result directly, and every progress
        // report is read once either way.
        var controllerPuts = 1.0;
        var listEachPoll = ReportPollPlan.ListingIsCheaper(workers);
        var controllerLists = listEachPoll ? polls : 0;
        var controllerGets = workers * reportsPerWorker + (listEachPoll ? workers : polls * workers);
        return new S3RequestCounts(workerPuts + controllerPuts, controllerLists, workerGets + controllerGets);
    }
}
