using Amazon.EC2;
using CloudNonce.Engine.Aws;
using CloudNonce.Engine.Hashing;
using CloudNonce.Engine.Planning;
using CloudNonce.Engine.Search;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>The controller of one search: launches the slots, polls the workers' reports in S3,
/// believes a golden nonce only once it is re-hashed here, relaunches slots whose worker is lost
/// (gone, silent, failed, or caught with a false claim) from their last checkpoint, and stops at the
/// first verified golden nonce, when every slot is done or given up, or at the deadline. Ending the
/// instances is the caller's job.</summary>
public sealed class Ec2SearchRun
{
    private static readonly HashSet<string> GoneStates = ["shutting-down", "terminated", "stopping", "stopped"];
    /// <summary>Worker errors no relaunch can fix: the search fails with them.</summary>
    private static readonly string[] FatalWorkerErrors = ["scanner checksum mismatch", "the manifest has"];
    /// <summary>Console lines quoted when a worker is lost.</summary>
    private const int ConsoleLines = 3;

    private readonly Ec2RunContext _context;
    private readonly Ec2RunState _state;
    private readonly WorkerReportReader _reports;
    private readonly RelaunchPolicy _relaunch;
    private readonly FleetLauncher _launcher;

    public Ec2SearchRun(Ec2RunContext context, Ec2RunState state)
    {
        _context = context;
        _state = state;
        _reports = new WorkerReportReader(context.Bucket, state, context.ProgressInterval);
        _relaunch = new RelaunchPolicy(state, context.Deadline, context.RelaunchWindow);
        _launcher = new FleetLauncher(context, state, _relaunch);
    }

    private SlotBook Book => _state.Book;

    public async Task<Ec2RunOutcome> RunAsync(CancellationToken ct)
    {
        _state.Report($"launching {Book.Slots.Count} instance(s) of {_context.Target.InstanceType}{(Book.Slots[0].Spot ? " as spot" : "")}");
        await _launcher.LaunchWaitingAsync(ct);
        while (true)
        {
            if (await PollAsync(ct) is { } golden)
                return new Ec2RunOutcome(StopReason.Found, golden);
            if (Book.AllFinished)
                return new Ec2RunOutcome(Book.Slots.All(s => s.Covered || _relaunch.GivenUpForFailures(s)) ? StopReason.Exhausted : StopReason.TimeLimit);
            var left = _context.Deadline - _state.Now;
            if (left <= TimeSpan.Zero)
                return new Ec2RunOutcome(StopReason.TimeLimit);
            await ReplaceSilentAsync(ct);
            if (WouldPassBudget(left))
                return new Ec2RunOutcome(StopReason.Budget);
            if (_launcher.Ready)
            {
                _state.Report($"launching {Book.Unlaunched.Count} slot(s)");
                await _launcher.LaunchWaitingAsync(ct);
            }
            _state.Report("scanning");
            await Task.Delay(left < _context.PollInterval ? left : _context.PollInterval, _state.Clock, ct);
        }
    }

    /// <summary>Reads new reports and instance states; returns a verified golden nonce if one arrived.
    /// Instances are described before reports are listed: a worker writes its result before it powers
    /// off, so an instance seen gone has its result in the listing that follows.</summary>
    private async Task<NonceVerdict?> PollAsync(CancellationToken ct)
    {
        var instances = await _context.Fleet.DescribeAsync(ct);
        var seenAt = _state.Now;
        foreach (var instance in instances)
        {
            _state.Ledger.Seen(instance.InstanceId);
            if (!string.IsNullOrEmpty(instance.PublicIpAddress)) _state.Ledger.HasPublicIpv4(instance.InstanceId);
            if (instance.State?.Name?.Value == "running")
                _state.Timelines.RecordRunning(instance.InstanceId, seenAt);
        }
        var results = await _reports.ReadAsync(_state.Now, ct);

        NonceVerdict? golden = null;
        foreach (var slot in results)
        {
            if (await ScanOfAsync(slot, ct) is not { } scan)
                continue;
            if (scan.Found && scan.Nonce is uint nonce)
            {
                var verdict = NonceVerifier.Verify(_state.Request.Block, nonce, _state.Request.Difficulty, NonceVerifier.ParseClaim(scan.Hash));
                if (verdict.Confirmed)
                {
                    if (golden is null || nonce < golden.Nonce)
                        golden = verdict;
                }
                else
                {
                    await RejectClaimAsync(slot, verdict, ct);
                }
            }
            else if (!slot.Covered && _context.Deadline - _state.Now > TimeSpan.Zero)
            {
                await LoseAsync(slot, $"its worker stopped early ({scan.Status}) at nonce {scan.NextNonce}", ct);
            }
        }
        if (golden is not null)
            return golden;

        var now = _state.Now;
        var gone = instances.Where(i => GoneStates.Contains(i.State?.Name?.Value ?? "")).ToDictionary(i => i.InstanceId, StringComparer.Ordinal);
        foreach (var id in gone.Keys)
            _state.Ledger.Ended(id, now);
        foreach (var slot in Book.Slots.Where(s => s.IsActive && s.InstanceId is not null && gone.ContainsKey(s.InstanceId)).ToList())
            await LoseAsync(slot, $"instance {slot.InstanceId} is {Describe(gone[slot.InstanceId!])} without a result", ct);
        return null;
    }

    /// <summary>Whether running on to the next poll (or the deadline, when sooner), with the launches
    /// waiting on the way, would pass -MaxCost: then the search ends now.</summary>
    private bool WouldPassBudget(TimeSpan left)
    {
        if (_context.Budget is not { } budget) return false;
        var untilNextPoll = left < _context.PollInterval ? left : _context.PollInterval;
        var waiting = Book.Unlaunched;
        if (!budget.WouldPass(_state.Ledger, _state.Now, _state.Elapsed.Elapsed, untilNextPoll, waiting.Count, waiting.Any(s => s.Spot))) return false;
        _state.Warn(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"The search ends before the next poll would pass -MaxCost ${budget.MaxCost:0.####} (spent so far: ${_context.Budget.Spent(_state.Ledger, _state.Now, _state.Elapsed.Elapsed):0.####})."));
        return true;
    }

    /// <summary>Ends the instances of workers that went quiet and relaunches their slots.</summary>
    private async Task ReplaceSilentAsync(CancellationToken ct)
    {
        foreach (var slot in Book.Silent(_state.Now, _context.BootTimeout, _context.SilenceTimeout))
        {
            var why = slot.Phase == SlotPhase.Booting
                ? $"instance {slot.InstanceId} sent no report within {Seconds(_context.BootTimeout)} of its launch"
                : $"instance {slot.InstanceId} sent no progress for {Seconds(_context.SilenceTimeout)}";
            await EndAndLoseAsync(slot, why, ct);
        }
    }

    /// <summary>A claim that fails the re-hash comes from a broken scanner, a bit flip, or someone who
    /// read the worker's user-data and wrote to its result URL: none of it ends the search. The claim
    /// is dropped (its checkpoint with it, so the slot's range is scanned again from the last honest
    /// progress), the instance is ended in case it still runs, and the slot is relaunched.</summary>
    private async Task RejectClaimAsync(SlotState slot, NonceVerdict verdict, CancellationToken ct)
    {
        var instanceId = slot.Result?.InstanceId ?? slot.InstanceId;
        var mismatch = verdict.MatchesClaim ? "" : ", not the hash it reported";
        Book.DiscardResult(slot);
        await EndAndLoseAsync(slot,
            $"instance {instanceId} claimed nonce {verdict.Nonce} is golden, but its hash is {verdict.HashHex} " +
            $"({verdict.LeadingZeroBits} leading zero bits, {_state.Request.Difficulty} needed{mismatch}); the claim is ignored", ct);
    }

    private async Task EndAndLoseAsync(SlotState slot, string why, CancellationToken ct)
    {
        if (slot.InstanceId is { } instanceId)
        {
            try
            {
                await _context.Fleet.TerminateAsync([instanceId], _state.Ledger.WasSeen, ct);
            }
            catch (AmazonEC2Exception)
            {
                // It ends anyway at its scheduled power-off and with the fleet; its reports are stale
                // from now on, so a late one cannot make a range count twice.
            }
            _state.Ledger.Ended(instanceId, _state.Now);
        }
        await LoseAsync(slot, why, ct);
    }

    /// <summary>The slot's worker is lost: its console's last lines say why as well as EC2 can.</summary>
    private async Task LoseAsync(SlotState slot, string why, CancellationToken ct)
    {
        if (slot.InstanceId is { } instanceId)
            why += $"; console: {await _context.Fleet.ConsoleTailAsync(instanceId, ConsoleLines, ct)}";
        _relaunch.RelaunchOrAbandon(slot, why);
    }

    /// <summary>The slot's scan, or null when its worker failed in a way a relaunch may fix (then the
    /// slot is lost); errors no relaunch can fix fail the whole search.</summary>
    private async Task<ScannerResultLine?> ScanOfAsync(SlotState slot, CancellationToken ct)
    {
        var result = slot.Result!;
        if (result.Error is { } error)
        {
            if (FatalWorkerErrors.Any(prefix => error.StartsWith(prefix, StringComparison.Ordinal)))
                throw new Ec2WorkerException($"The worker of slot {slot.Slot} (instance {result.InstanceId ?? slot.InstanceId}) failed: {error}");
            await LoseAsync(slot, $"its worker failed: {error}", ct);
            return null;
        }
        if (result.Scan is null)
            await LoseAsync(slot, "its worker wrote a result with neither a scan nor an error", ct);
        return result.Scan;
    }

    private static string Describe(Amazon.EC2.Model.Instance instance) =>
        instance.StateReason?.Message is { Length: > 0 } reason ? $"{instance.State?.Name?.Value} ({reason})" : instance.State?.Name?.Value ?? "gone";

    private static string Seconds(TimeSpan span) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s");
}
