using CloudNonce.Engine.Search;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Every worker attempt of a search as the controller learns about it: its launch, the first
/// sighting of its instance running, its reports (which carry the worker's own step times), and how it
/// ended. The controller passes its times in; the worker's come from its reports.</summary>
public sealed class WorkerTimelineBook
{
    private sealed class Attempt
    {
        public required CndWorkerReport Launch { get; init; }
        public DateTimeOffset? Running;
        public DateTimeOffset? FirstReport;
        public WorkerTimeline? Worker;
        public ulong Nonces;
        public double NoncesPerSecond;
        public CndWorkerOutcome? Outcome;
        public string? Detail;
        public DateTimeOffset? GaveUpAt;
    }

    private readonly List<Attempt> _attempts = [];
    private readonly Dictionary<(int Slot, int Attempt), Attempt> _byAttempt = [];

    public int Count => _attempts.Count;

    public void RecordLaunch(SlotState slot, string instanceId, string instanceType, bool spot, DateTimeOffset requested)
    {
        var attempt = new Attempt
        {
            Launch = new CndWorkerReport
            {
                Slot = slot.Slot, Attempt = slot.Attempt, InstanceId = instanceId, InstanceType = instanceType, Spot = spot,
                NonceStart = slot.AttemptStart, NonceEnd = slot.Range.End, LaunchRequested = requested,
            },
        };
        _attempts.Add(attempt);
        _byAttempt[(slot.Slot, slot.Attempt)] = attempt;
    }

    /// <summary>DescribeInstances showed the instance running; only the first sighting counts.</summary>
    public void RecordRunning(string instanceId, DateTimeOffset now)
    {
        foreach (var attempt in _attempts.Where(a => a.Launch.InstanceId == instanceId))
            attempt.Running ??= now;
    }

    public void RecordProgress(int slot, int attempt, WorkerProgress progress, DateTimeOffset now)
    {
        if (!_byAttempt.TryGetValue((slot, attempt), out var entry))
            return;
        Heard(entry, now);
        entry.Worker = progress.Timeline ?? entry.Worker;
        entry.Nonces = Math.Max(entry.Nonces, progress.Hashes);
        entry.NoncesPerSecond = progress.NoncesPerSecond > 0 ? progress.NoncesPerSecond : entry.NoncesPerSecond;
    }

    public void RecordResult(int slot, int attempt, WorkerResult result, DateTimeOffset now)
    {
        if (!_byAttempt.TryGetValue((slot, attempt), out var entry))
            return;
        Heard(entry, now);
        entry.Worker = result.Timeline ?? entry.Worker;
        if (result.Scan is { } scan)
        {
            entry.Nonces = Math.Max(entry.Nonces, scan.Hashes);
            entry.NoncesPerSecond = scan.NoncesPerSecond > 0 ? scan.NoncesPerSecond : entry.NoncesPerSecond;
            entry.Outcome = scan.Status switch
            {
                "found" => CndWorkerOutcome.Found,
                "exhausted" => CndWorkerOutcome.Exhausted,
                "time_limit" => CndWorkerOutcome.TimeLimit,
                _ => CndWorkerOutcome.Cancelled,
            };
        }
        entry.Detail = result.Error;
    }

    /// <summary>The controller gave up on the attempt (it relaunches or abandons the slot): that is how
    /// it ended, whatever its worker last said.</summary>
    public void RecordLoss(int slot, int attempt, string why, DateTimeOffset now)
    {
        if (!_byAttempt.TryGetValue((slot, attempt), out var entry))
            return;
        entry.Outcome = CndWorkerOutcome.Lost;
        entry.Detail = why;
        entry.GaveUpAt ??= now;
    }

    /// <summary>The attempts in launch order; one with no outcome yet was still at work when the search
    /// stopped at <paramref name="stoppedAt"/>.</summary>
    public IReadOnlyList<CndWorkerReport> Reports(DateTimeOffset stoppedAt) => _attempts.Select(a =>
    {
        var worker = a.Worker ?? new WorkerTimeline();
        var outcome = a.Outcome ?? CndWorkerOutcome.Stopped;
        var scanStarted = WorkerTimeline.Time(worker.ScanStarted);
        var scanEnded = WorkerTimeline.Time(worker.ScanEnded) ?? (scanStarted is null ? null : a.GaveUpAt ?? stoppedAt);
        return a.Launch with
        {
            Running = a.Running,
            FirstReport = a.FirstReport,
            Booted = WorkerTimeline.Time(worker.Booted),
            ScannerDownloaded = WorkerTimeline.Time(worker.ScannerDownloaded),
            ScannerVerified = WorkerTimeline.Time(worker.ScannerVerified),
            ScanStarted = scanStarted,
            ScanEnded = scanEnded,
            Nonces = a.Nonces,
            NoncesPerSecond = a.NoncesPerSecond,
            Outcome = outcome,
            Detail = a.Detail,
        };
    }).ToList();

    private static void Heard(Attempt entry, DateTimeOffset now)
    {
        entry.FirstReport ??= now;
        // A report proves the instance ran, even if no listing showed it running first.
        entry.Running ??= now;
    }
}
