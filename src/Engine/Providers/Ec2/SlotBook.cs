namespace CloudNonce.Engine.Providers.Ec2;

public enum SlotPhase
{
    /// <summary>Waiting for a (re)launch.</summary>
    Unlaunched,
    /// <summary>An instance was started for it; no report yet.</summary>
    Pending,
    /// <summary>Its worker has written progress.</summary>
    Running,
    /// <summary>Its worker wrote a result, or its range is fully scanned.</summary>
    Done,
    /// <summary>Lost with too little time left to relaunch it: its range stays partly unscanned.</summary>
    Abandoned,
}

/// <summary>One slot's share of the search across its attempts (launches).</summary>
public sealed class SlotState(SlotRange range)
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

    public ulong Hashes => EarlierHashes + Math.Max(Progress?.Hashes ?? 0, Result?.Scan?.Hashes ?? 0);
    public double Rate => Phase == SlotPhase.Running ? Progress?.Rate ?? 0 : 0;
    public bool IsActive => Phase is SlotPhase.Pending or SlotPhase.Running;
}

/// <summary>The controller's view of every slot: which attempt is current, what its worker reported,
/// and what to relaunch. Pure bookkeeping; the run does the I/O.</summary>
public sealed class SlotBook
{
    private readonly SlotState[] _slots;

    public SlotBook(IEnumerable<SlotRange> ranges, int maxAttempts)
    {
        _slots = ranges.Select(r => new SlotState(r)).ToArray();
        MaxAttempts = maxAttempts;
    }

    public IReadOnlyList<SlotState> Slots => _slots;
    public int MaxAttempts { get; }

    public IReadOnlyList<SlotState> Unlaunched => _slots.Where(s => s.Phase == SlotPhase.Unlaunched).ToList();
    public int Pending => _slots.Count(s => s.Phase is SlotPhase.Pending or SlotPhase.Unlaunched);
    public int Running => _slots.Count(s => s.Phase == SlotPhase.Running);
    public int Finished => _slots.Count(s => s.Phase is SlotPhase.Done or SlotPhase.Abandoned);
    public bool AllFinished => Finished == _slots.Length;
    public ulong Hashes => _slots.Aggregate(0UL, (sum, s) => sum + s.Hashes);
    public double Rate => _slots.Sum(s => s.Rate);

    public SlotState this[int slot] => _slots[slot];

    public void Launched(SlotState slot, string instanceId)
    {
        slot.InstanceId = instanceId;
        slot.Phase = SlotPhase.Pending;
    }

    /// <summary>Takes a report if it belongs to the slot's current attempt; stale ones are ignored.</summary>
    public bool Apply(int slot, int attempt, WorkerProgress progress)
    {
        if (!Current(slot, attempt, out var state))
            return false;
        state.Progress = progress;
        state.Phase = SlotPhase.Running;
        return true;
    }

    public bool Apply(int slot, int attempt, WorkerResult result)
    {
        if (!Current(slot, attempt, out var state))
            return false;
        state.Result = result;
        state.Phase = SlotPhase.Done;
        return true;
    }

    /// <summary>The slot's instance is gone (or never started) without a result: set up the next attempt
    /// from its last checkpoint. Returns false when the slot has used all its attempts.</summary>
    public bool Lost(SlotState slot)
    {
        if (slot.Attempt + 1 >= MaxAttempts)
            return false;
        var resumeAt = Math.Max(slot.AttemptStart, slot.Progress?.NextNonce ?? 0);
        slot.EarlierHashes = slot.Hashes;
        slot.Progress = null;
        slot.Result = null;
        slot.InstanceId = null;
        slot.Attempt++;
        if (resumeAt > slot.Range.End)
        {
            slot.Phase = SlotPhase.Done;
            return true;
        }
        slot.AttemptStart = (uint)resumeAt;
        slot.Phase = SlotPhase.Unlaunched;
        return true;
    }

    public void Abandon(SlotState slot)
    {
        slot.InstanceId = null;
        slot.Phase = SlotPhase.Abandoned;
    }

    private bool Current(int slot, int attempt, out SlotState state)
    {
        state = null!;
        if (slot < 0 || slot >= _slots.Length)
            return false;
        state = _slots[slot];
        return state.Attempt == attempt && state.IsActive;
    }
}
