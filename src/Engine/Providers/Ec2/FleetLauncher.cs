using System.Globalization;
using Amazon.EC2;
using CloudNonce.Engine.Aws;
using CloudNonce.Engine.Hashing;
using CloudNonce.Engine.Planning;
using Ec2Instance = Amazon.EC2.Model.Instance;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Starts instances for the slots waiting for one: a manifest per launch (signed afresh, so a
/// relaunch never hands out URLs signed by credentials that have since been replaced), one
/// RunInstances call per market, and EC2's refusals handled as each kind needs: back-off for capacity
/// and throttling, smaller calls for a quota, on-demand for a spot-only refusal with -SpotFallback.</summary>
public sealed class FleetLauncher(Ec2RunContext context, Ec2RunState state, RelaunchPolicy relaunch)
{
    private readonly HashSet<string> _refusalsWarned = new(StringComparer.Ordinal);
    private int _nextLaunch;

    private SlotBook Book => state.Book;

    public bool Ready => Book.Unlaunched.Count > 0 && context.Backoff.Ready(state.Now);

    /// <summary>Launches the waiting slots as far as EC2 allows now; those it refuses keep waiting for the back-off.</summary>
    public async Task LaunchWaitingAsync(CancellationToken ct)
    {
        var again = true;
        while (again && context.Backoff.Ready(state.Now))
        {
            again = false;
            foreach (var group in Book.Unlaunched.GroupBy(s => s.Spot).ToList())
                again |= await LaunchGroupAsync(group.ToList(), group.Key, ct);
        }
        state.NoteActiveInstances();
    }

    /// <summary>Returns true when slots of this market should be launched again right away: EC2 started
    /// some but fewer than asked (another call learns why, or starts the rest), or a spot refusal
    /// fell back to on-demand.</summary>
    private async Task<bool> LaunchGroupAsync(IReadOnlyList<SlotState> slots, bool spot, CancellationToken ct)
    {
        var batch = slots;
        AmazonEC2Exception? quota = null;
        IReadOnlyList<Ec2Instance> started;
        while (true)
        {
            try
            {
                started = await LaunchOnceAsync(batch, spot, ct);
                break;
            }
            catch (AmazonEC2Exception e) when (LaunchErrors.Classify(e.ErrorCode) == LaunchErrorKind.Limit && batch.Count > 1)
            {
                // A call asking for more than the quota allows is refused as a whole: a smaller one may fit.
                quota ??= e;
                batch = batch.Take(batch.Count / 2).ToList();
            }
            catch (AmazonEC2Exception e)
            {
                return Refused(slots, spot, e);
            }
        }
        ct.ThrowIfCancellationRequested();
        if (quota is not null)
        {
            foreach (var slot in slots.Where(s => s.Phase == SlotPhase.Unlaunched))
                slot.LastFailure = $"{quota.ErrorCode}: {quota.Message}";
            WarnRefusal($"{quota.ErrorCode}:{spot}",
                $"EC2 refused {slots.Count} {Market(spot)} instance(s) of {context.Target.InstanceType} at once: {quota.ErrorCode}{QuotaText(quota)}; " +
                $"smaller requests started {started.Count}", context.Backoff.Failed(state.Now));
            return false;
        }
        if (started.Count >= slots.Count)
            context.Backoff.Succeeded();
        else if (started.Count == 0)
            WarnRefusal($"none:{spot}", $"EC2 started none of {slots.Count} {Market(spot)} instance(s) of {context.Target.InstanceType}", context.Backoff.Failed(state.Now));
        return started.Count > 0 && started.Count < slots.Count;
    }

    private bool Refused(IReadOnlyList<SlotState> slots, bool spot, AmazonEC2Exception e)
    {
        var kind = LaunchErrors.Classify(e.ErrorCode);
        var what = $"EC2 refused {slots.Count} {Market(spot)} instance(s) of {context.Target.InstanceType}: {e.ErrorCode} ({e.Message})";
        if (spot && context.SpotFallback && LaunchErrors.SpotOnly(e.ErrorCode))
        {
            foreach (var slot in slots)
                slot.Spot = false;
            var advice = kind == LaunchErrorKind.SpotRoleMissing ? $". {LaunchErrors.SpotRoleAdvice}" : "";
            state.Warn($"{what}{advice}; launching those slots on-demand instead (-SpotFallback).");
            return true;
        }
        if (kind is LaunchErrorKind.Fatal or LaunchErrorKind.SpotRoleMissing || (kind == LaunchErrorKind.Limit && state.Ledger.Count == 0))
        {
            // Nothing launched yet: the request itself is wrong, or the account allows no instance at all.
            if (state.Ledger.Count == 0)
                throw kind switch
                {
                    LaunchErrorKind.Limit => new AwsConfigurationException(
                        $"{what}{QuotaText(e)}. The account allows no instance of this kind now: raise the limit (Service Quotas), or use fewer or smaller instances.", e),
                    LaunchErrorKind.SpotRoleMissing => new AwsConfigurationException($"{what}. {LaunchErrors.SpotRoleAdvice}.", e),
                    _ => e,
                };
            foreach (var slot in slots)
                relaunch.RelaunchOrAbandon(slot, $"RunInstances failed: {e.ErrorCode}: {e.Message}");
            return false;
        }
        foreach (var slot in slots)
            slot.LastFailure = $"{e.ErrorCode}: {e.Message}";
        WarnRefusal($"{e.ErrorCode}:{spot}", what + QuotaText(e), context.Backoff.Failed(state.Now));
        return false;
    }

    /// <summary>One launch: a manifest for these slots and one RunInstances call for all of them.</summary>
    private async Task<IReadOnlyList<Ec2Instance>> LaunchOnceAsync(IReadOnlyList<SlotState> slots, bool spot, CancellationToken ct)
    {
        var launch = _nextLaunch++;
        var request = state.Request;
        var expiry = (context.ShutdownAt + Ec2SearchProvider.PresignMargin).UtcDateTime;
        var bucket = context.Bucket;
        var scanner = context.Scanners.For(context.Target.Architecture);
        var manifest = new LaunchManifest
        {
            SearchId = request.SearchId,
            BlockHex = HexText.Lower(request.Block),
            Difficulty = request.Difficulty,
            ScannerUrl = bucket.PresignGet(scanner.Key, expiry),
            ScannerSha256 = scanner.Sha256,
            Deadline = context.Deadline.ToUnixTimeSeconds(),
            ProgressIntervalSeconds = Math.Max(0.01, Math.Round(context.ProgressInterval.TotalSeconds, 2)),
            Slots = slots.Select((s, i) => new ManifestSlot
            {
                LaunchIndex = i,
                Slot = s.Slot,
                Attempt = s.Attempt,
                Start = s.AttemptStart,
                End = s.Range.End,
                ProgressUrl = bucket.PresignPut(SearchObjectKeys.Progress(request.SearchId, s.Slot, s.Attempt), expiry),
                ResultUrl = bucket.PresignPut(SearchObjectKeys.Result(request.SearchId, s.Slot, s.Attempt), expiry),
            }).ToList(),
        };
        var key = SearchObjectKeys.Manifest(request.SearchId, launch);
        await bucket.PutTextAsync(key, manifest.ToJson(), new Dictionary<string, string>
        {
            [CndTags.CreatedBy] = CndTags.CreatedByValue,
            [CndTags.SearchId] = request.SearchId,
        }, ct);
        var userData = context.UserData.Render(bucket.PresignGet(key, expiry), context.ShutdownAt);
        var requested = state.Now;
        var instances = await context.Fleet.LaunchAsync(context.Target, userData, slots.Count, launch, context.SecurityGroupId, spot);
        var now = state.Now;
        var launched = new List<object>();
        foreach (var instance in instances)
        {
            state.Ledger.Launched(instance.InstanceId, spot, now);
            if (instance.AmiLaunchIndex is int index && index >= 0 && index < slots.Count)
            {
                var slot = slots[index];
                state.Timelines.RecordLaunch(slot, instance.InstanceId, context.Target.InstanceType, spot, requested);
                Book.RecordLaunch(slot, instance.InstanceId, now);
                launched.Add(new { slot.Slot, slot.Attempt, instance.InstanceId, start = slot.AttemptStart, end = slot.Range.End });
            }
        }
        state.Event("launch", new { launch, context.Target.InstanceType, spot, asked = slots.Count, started = instances.Count, instances = launched });
        return instances;
    }

    /// <summary>A refusal is worth one warning per cause, with the odds of the fleet that does run;
    /// its repeats only show in the progress status.</summary>
    private void WarnRefusal(string cause, string what, TimeSpan wait)
    {
        var running = Book.Active;
        var planned = state.PlannedProbability ?? 0;
        state.FleetProbability = Odds(running);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{what}. {running} of {Book.Slots.Count} instance(s) running; retrying in {wait.TotalSeconds:0.#} s. " +
            $"P(success) for the fleet running: {Percent(state.FleetProbability.Value)} (planned {Percent(planned)} with {Book.Slots.Count}).");
        if (_refusalsWarned.Add(cause))
            state.Warn(text);
        else
            state.Report(text);
    }

    /// <summary>P(success) of a fleet of <paramref name="instances"/>, planned the way the search was.</summary>
    private double Odds(int instances) => instances == 0 ? 0 : SearchPlanner.Plan(new PlanInputs
    {
        Difficulty = state.Request.Difficulty,
        TimeLimit = state.Request.TimeLimit,
        NoncesPerSecondPerUnit = context.Unit.NoncesPerSecondPerUnit,
        BootOverhead = context.Unit.BootOverhead,
        MaxUnits = instances,
        RangeSize = state.Request.RangeSize,
        Units = instances,
        UnitKind = PlanUnit.Instance,
    }).Probability;

    private static string QuotaText(AmazonEC2Exception e) => LaunchErrors.QuotaIn(e.Message) is { } quota
        ? $" (the account's quota: {quota} {(e.ErrorCode == "VcpuLimitExceeded" ? "vCPUs for this instance family" : "instances")})"
        : "";

    private static string Market(bool spot) => spot ? "spot" : "on-demand";

    private static string Percent(double p) => (p * 100).ToString(p is > 0 and < 0.0001 ? "0.##e0" : "0.##", CultureInfo.InvariantCulture) + "%";
}
