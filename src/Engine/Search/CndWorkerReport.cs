namespace CloudNonce.Engine.Search;

/// <summary>One worker attempt of a fleet search (a slot's launch on one instance), step by step.
/// LaunchRequested, Running, FirstReport and a lost or stopped attempt's ScanEnded are the controller's
/// times; Booted, ScannerDownloaded, ScannerVerified, ScanStarted and a finished attempt's ScanEnded
/// are the worker's own, which EC2 keeps in AWS's time as the controller does. All in UTC; a step the
/// attempt never reached is null.</summary>
public sealed record CndWorkerReport
{
    public int Slot { get; init; }
    /// <summary>0 for the slot's first launch; each relaunch adds one.</summary>
    public int Attempt { get; init; }
    public string InstanceId { get; init; } = "";
    public string InstanceType { get; init; } = "";
    public bool Spot { get; init; }
    /// <summary>The nonces this attempt was given: a relaunch resumes at the slot's last checkpoint.</summary>
    public uint NonceStart { get; init; }
    public uint NonceEnd { get; init; }

    /// <summary>When the controller asked EC2 for the instance (RunInstances).</summary>
    public DateTimeOffset LaunchRequested { get; init; }
    /// <summary>When the controller first saw the instance running (or heard from its worker, if that came first).</summary>
    public DateTimeOffset? Running { get; init; }
    /// <summary>When the worker's user-data began: the instance had booted.</summary>
    public DateTimeOffset? Booted { get; init; }
    public DateTimeOffset? ScannerDownloaded { get; init; }
    /// <summary>When the scanner's SHA-256 matched the controller's.</summary>
    public DateTimeOffset? ScannerVerified { get; init; }
    public DateTimeOffset? ScanStarted { get; init; }
    /// <summary>When the controller first read a report of this attempt (the worker sends one as its scan starts).</summary>
    public DateTimeOffset? FirstReport { get; init; }
    /// <summary>The worker's end of scan when it wrote a result; else when the controller gave up on it
    /// or the search stopped, if it had started scanning.</summary>
    public DateTimeOffset? ScanEnded { get; init; }

    public ulong Nonces { get; init; }
    public double NoncesPerSecond { get; init; }
    public CndWorkerOutcome Outcome { get; init; }
    /// <summary>Why a lost attempt was lost, or the worker's error; null otherwise.</summary>
    public string? Detail { get; init; }

    /// <summary>From the launch request to the first hash: EC2's start, the boot, the scanner's download and check.</summary>
    public TimeSpan? TimeToFirstHash => ScanStarted - LaunchRequested;
    public TimeSpan? ScanTime => ScanEnded - ScanStarted;
}
