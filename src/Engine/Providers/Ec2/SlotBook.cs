using CloudNonce.Engine.Search;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>The controller's view of every slot: which attempt is current, what its worker reported,
/// and what to relaunch. Pure bookkeeping; the run does the I/O, and passes the time in.</summary>
public sealed class SlotBook
{
    private readonly SlotState[] _slots;

    public SlotBook(IEnumerable<SlotRange> ranges, int maxAttempts, bool spot = false)
    {
        _slots = ranges.Select(r => new SlotState(r, spot)).ToArray();
        MaxAttempts = maxAttempts;
    }

    public IReadOnlyList<SlotState> Slots => _slots;
    public int MaxAttempts { get; }

    public IReadOnlyList<SlotState> Unlaunched => _slots.Where(s => s.Phase == SlotPhase.Unlaunched).ToList();
    /// <summary>Slots not scanning yet: waiting for a (re)launch, or launched and booting.</summary>
    public int Waiting => _slots.Count(s => s.Phase is SlotPhase.Booting or SlotPhase.Unlaunched);
    public int Scanning => _slots.Count(s => s.Phase == SlotPhase.Scanning);
    /// <summary>Slots with an instance working on them (booting or scanning).</summary>
    public int Active => _slots.Count(s => s.IsActive);
    public int Finished => _slots.Count(s => s.Phase is SlotPhase.Done or SlotPhase.Abandoned);
    public bool AllFinished => Finished == _slots.Length;
    public ulong Hashes => _slots.Aggregate(0UL, (sum, s) => sum + s.Hashes);
    public double NoncesPerSecond => _slots.Sum(s => s.NoncesPerSecond);
    /// <summary>Slots launched more than once.</summary>
    public int Relaunched => _slots.Count(s => s.Attempt > 0);

    public SlotState this[int slot] => _slots[slot];

    public void RecordLaunch(SlotState slot, string instanceId, DateTimeOffset now)
    {
        slot.InstanceId = instanceId;
        slot.Phase = SlotPhase.Booting;
        slot.LastHeard = now;
    }

    /// <summary>Takes a report if it belongs to the slot's current attempt; stale ones are ignored.</summary>
    public bool RecordProgress(int slot, int attempt, WorkerProgress progress, DateTimeOffset now)
    {
        if (!IsCurrentAttempt(slot, attempt, out var state))
            return false;
        state.Progress = progress;
        state.Phase = SlotPhase.Scanning;
        state.LastHeard = now;
        return true;
    }

    /// <summary>Takes a worker's final word if it belongs to the slot's current attempt: the slot is done.</summary>
    public bool RecordResult(int slot, int attempt, WorkerResult result)
    {
        if (!IsCurrentAttempt(slot, attempt, out var state))
            return false;
        state.Result = result;
        state.Phase = SlotPhase.Done;
        return true;
    }

    /// <summary>Forgets a result that turned out false (a golden claim the re-hash refutes), its
    /// checkpoint included: the slot is back to what its worker's progress showed, for <see cref="RecordLoss"/>.</summary>
    public void DiscardResult(SlotState slot)
    {
        slot.Result = null;
        slot.Phase = slot.Progress is null ? SlotPhase.Booting : SlotPhase.Scanning;
    }

    /// <summary>Active slots whose worker has been quiet too long: no first report within
    /// <paramref name="bootTimeout"/> of the launch, or no new progress within <paramref name="silenceTimeout"/>.</summary>
    public IReadOnlyList<SlotState> Silent(DateTimeOffset now, TimeSpan bootTimeout, TimeSpan silenceTimeout) =>
        _slots.Where(s => (s.Phase == SlotPhase.Booting && now - s.LastHeard > bootTimeout)
                       || (s.Phase == SlotPhase.Scanning && now - s.LastHeard > silenceTimeout)).ToList();

    /// <summary>The slot's worker is gone (or never started): if its checkpoint shows the whole range
    /// scanned, marks it done; otherwise sets up the next attempt from the last checkpoint, so nothing
    /// reported done is scanned again and nothing after it is skipped. Returns false when the slot has
    /// used all its attempts (it is then left as it was, for <see cref="Abandon"/>).</summary>
    public bool RecordLoss(SlotState slot, string why)
    {
        slot.LastFailure = why;
        var resumeAt = slot.Checkpoint;
        if (resumeAt > slot.Range.End)
        {
            Retire(slot);
            slot.Phase = SlotPhase.Done;
            return true;
        }
        if (slot.Attempt + 1 >= MaxAttempts)
            return false;
        Retire(slot);
        slot.Attempt++;
        slot.AttemptStart = (uint)resumeAt;
        slot.Phase = SlotPhase.Unlaunched;
        return true;
    }

    /// <summary>Stops trying the slot: its range from the checkpoint on is reported as missing.</summary>
    public void Abandon(SlotState slot, string why)
    {
        slot.LastFailure = why;
        slot.InstanceId = null;
        slot.Phase = SlotPhase.Abandoned;
    }

    /// <summary>The ranges not scanned, for a search that ended for <paramref name="reason"/> (see
    /// <see cref="SearchCoverage"/>: after a find, only given-up ranges are missing).</summary>
    public SearchCoverage Coverage(StopReason reason)
    {
        var missing = new List<CndNonceRange>();
        foreach (var slot in _slots)
        {
            if (slot.Covered || slot.Checkpoint > slot.Range.End)
                continue;
            var why = slot.Phase switch
            {
                SlotPhase.Abandoned => $"slot {slot.Slot} given up: {slot.LastFailure}",
                _ when reason == StopReason.Found => null,
                SlotPhase.Unlaunched when slot.LastFailure is not null => $"slot {slot.Slot} not relaunched in time: {slot.LastFailure}",
                _ => $"slot {slot.Slot} stopped: {reason switch { StopReason.Cancelled => "cancelled", StopReason.Budget => "-MaxCost reached", _ => "time limit" }}",
            };
            if (why is not null)
                missing.Add(new CndNonceRange((uint)slot.Checkpoint, slot.Range.End, why));
        }
        return new SearchCoverage(missing);
    }

    private static void Retire(SlotState slot)
    {
        slot.EarlierHashes = slot.Hashes;
        slot.Progress = null;
        slot.Result = null;
        slot.InstanceId = null;
    }

    private bool IsCurrentAttempt(int slot, int attempt, out SlotState state)
    {
        state = null!;
        if (slot < 0 || slot >= _slots.Length)
            return false;
        state = _slots[slot];
        return state.Attempt == attempt && state.IsActive;
    }
}
