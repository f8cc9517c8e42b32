namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>What happens to a slot whose worker is lost (gone, silent, failed, or caught lying): it is
/// relaunched from its last checkpoint while it has attempts left and enough time remains for a new
/// instance to boot and scan; otherwise it is given up and its unscanned range is reported. Either way
/// the user is told.</summary>
public sealed class RelaunchPolicy(Ec2RunState state, DateTimeOffset deadline, TimeSpan relaunchWindow)
{
    private SlotBook Book => state.Book;

    public void RelaunchOrAbandon(SlotState slot, string why)
    {
        state.Timelines.RecordLoss(slot.Slot, slot.Attempt, why, state.Now);
        state.Event("lost", new { slot.Slot, slot.Attempt, slot.InstanceId, why });
        var range = $"{slot.Range.Start}-{slot.Range.End}";
        if (deadline - state.Now < relaunchWindow)
        {
            Book.Abandon(slot, $"{why}; too little time left to relaunch it");
            state.Event("give-up", new { slot.Slot, slot.Attempt, from = slot.Checkpoint, to = slot.Range.End });
            state.Warn($"Slot {slot.Slot} ({range}) lost its worker: {why}. Too little time is left to relaunch it; nonces {slot.Checkpoint}-{slot.Range.End} stay unscanned.");
            return;
        }
        if (Book.RecordLoss(slot, why))
        {
            if (slot.Phase == SlotPhase.Unlaunched)
            {
                state.Event("relaunch", new { slot.Slot, slot.Attempt, from = slot.AttemptStart });
                state.Warn($"Slot {slot.Slot} ({range}) lost its worker: {why}. Relaunching it from nonce {slot.AttemptStart} (attempt {slot.Attempt + 1} of {Book.MaxAttempts}).");
            }
            return;
        }
        Book.Abandon(slot, $"failed {Book.MaxAttempts} times; the last time: {why}");
        state.Event("give-up", new { slot.Slot, slot.Attempt, from = slot.Checkpoint, to = slot.Range.End });
        state.Warn($"Slot {slot.Slot} ({range}) failed {Book.MaxAttempts} times (the last time: {why}); the search goes on without it, and nonces {slot.Checkpoint}-{slot.Range.End} are not covered.");
    }

    /// <summary>Whether a slot ended because it used up its attempts (the search still counts as
    /// exhausted then: every slot had its chances).</summary>
    public bool GivenUpForFailures(SlotState slot) => slot.Phase == SlotPhase.Abandoned && slot.Attempt + 1 >= Book.MaxAttempts;
}
