namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>One slot's share of the search across its attempts (launches).</summary>
public sealed class SlotState(SlotRange range, bool spot)
{
    public SlotRange Range { get; } = range;
    public int Slot => Range.Slot;
    /// <summary>0 for the first launch; each relaunch adds one and gets its own report keys.</summary>
    public int Attempt { get; internal set; }
    /// <summary>First nonce of the current attempt: a relaunch resumes at the last checkpoint.</summary>
    public uint AttemptStart { get; internal set; } = range.Start;
    public SlotPhase Phase { get; internal set; }
    public string? InstanceId { get; internal set; }
    public WorkerProgress? Progress { get; internal set; }
    public WorkerResult? Result { get; internal set; }
    /// <summary>Hashes of earlier attempts of this slot.</summary>
    public ulong EarlierHashes { get; internal set; }
    /// <summary>Whether the next (or current) launch of this slot asks for a spot instance.</summary>
    public bool Spot { get; internal set; } = spot;
    /// <summary>When the controller last heard of the current attempt: its launch or its latest report.</summary>
    public DateTimeOffset LastHeard { get; internal set; }
    /// <summary>Why the slot's last attempt was lost (or why it could not launch); null while all is well.</summary>
    public string? LastFailure { get; internal set; }

    public ulong Hashes => EarlierHashes + Math.Max(Progress?.Hashes ?? 0, Result?.Scan?.Hashes ?? 0);
    public double NoncesPerSecond => Phase == SlotPhase.Scanning ? Progress?.NoncesPerSecond ?? 0 : 0;
    public bool IsActive => Phase is SlotPhase.Booting or SlotPhase.Scanning;

    /// <summary>Every nonce of the slot below this is scanned: the latest checkpoint any attempt
    /// reported (a progress object, or the scan of a result that stopped early).</summary>
    public ulong Checkpoint => Math.Max(AttemptStart, Math.Max(Progress?.NextNonce ?? 0, Result?.Scan?.NextNonce ?? 0));

    /// <summary>The worker scanned its whole slot (or up to the golden nonce it found).</summary>
    public bool Covered => Phase == SlotPhase.Done && (Result?.Scan is not { } scan || scan.Status is "exhausted" or "found");
}
