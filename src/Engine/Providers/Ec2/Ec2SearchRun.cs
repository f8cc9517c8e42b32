using System.Diagnostics;
using System.Globalization;
using Amazon.EC2;
using CloudNonce.Engine.Aws;
using CloudNonce.Engine.Hashing;
using CloudNonce.Engine.Planning;
using CloudNonce.Engine.Pricing;
using CloudNonce.Engine.Search;
using Ec2Instance = Amazon.EC2.Model.Instance;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Where the worker scanner is, and the hash the bootstrap checks it against.</summary>
public sealed record ScannerObject(string Url, string Sha256);

/// <summary>Everything fixed for the length of one search.</summary>
public sealed record Ec2RunContext
{
    public required SearchRequest Request { get; init; }
    public required LaunchTarget Target { get; init; }
    public required ModuleBucket Bucket { get; init; }
    public required WorkerFleet Fleet { get; init; }
    public required WorkerUserData UserData { get; init; }
    public required ScannerObject Scanner { get; init; }
    public required string SecurityGroupId { get; init; }
    public required DateTimeOffset Deadline { get; init; }
    public required DateTimeOffset ShutdownAt { get; init; }
    public required TimeSpan PollInterval { get; init; }
    public required TimeSpan ProgressInterval { get; init; }
    /// <summary>Shortest time left in which relaunching a lost slot is still worth it.</summary>
    public required TimeSpan RelaunchWindow { get; init; }
    public required TimeSpan BootTimeout { get; init; }
    public required TimeSpan SilenceTimeout { get; init; }
    public required LaunchBackoff Backoff { get; init; }
    public bool SpotFallback { get; init; }
    /// <summary>What one worker does, for recomputing the odds of the fleet that actually runs.</summary>
    public required WorkerProfile Worker { get; init; }
    public required double PlannedProbability { get; init; }
    /// <summary>The hourly price of an instance, by market (true: spot); null when unknown.</summary>
    public required Func<bool, InstancePrice?> Price { get; init; }
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>The controller of one search: launches the slots, polls the workers' reports in S3,
/// relaunches slots whose worker is lost (gone, silent, or stopped early) from their last checkpoint,
/// retries launches EC2 refuses with back-off, and stops at the first verified golden nonce, when
/// every slot is done or given up, or at the deadline. Ending the instances is the caller's job.</summary>
public sealed class Ec2SearchRun(Ec2RunContext context, SlotBook book, IProgress<SearchProgress>? progress, Stopwatch clock)
{
    private static readonly HashSet<string> GoneStates = ["shutting-down", "terminated", "stopping", "stopped"];
    /// <summary>Worker errors no relaunch can fix: the search fails with them.</summary>
    private static readonly string[] FatalWorkerErrors = ["scanner checksum mismatch", "the manifest has", "the deadline passed"];

    private readonly Ec2RunContext _context = context;
    private readonly Dictionary<string, string> _readETags = new(StringComparer.Ordinal);
    private readonly SearchRequest _request = context.Request;
    private readonly FleetLedger _ledger = new();
    private readonly List<string> _warnings = [];
    private readonly HashSet<string> _refusalsWarned = new(StringComparer.Ordinal);
    private int _nextLaunch;
    private int _peakWorkers;
    private double? _fleetProbability;

    private DateTimeOffset Now => _context.Clock.GetUtcNow();

    public async Task<CndSearchResult> RunAsync(CancellationToken ct)
    {
        Report($"launching {book.Slots.Count} instance(s) of {_context.Target.InstanceType}{(book.Slots[0].Spot ? " as spot" : "")}");
        await LaunchAsync(ct);
        while (true)
        {
            if (await PollAsync(ct) is { } golden)
                return Result(StopReason.Found, golden);
            if (book.AllFinished)
                return Result(book.Slots.All(s => s.Covered || GivenUpForFailures(s)) ? StopReason.Exhausted : StopReason.TimeLimit, null);
            var left = _context.Deadline - Now;
            if (left <= TimeSpan.Zero)
                return Result(StopReason.TimeLimit, null);
            await ReplaceSilentAsync(ct);
            if (book.Unlaunched.Count > 0 && _context.Backoff.Ready(Now))
            {
                Report($"launching {book.Unlaunched.Count} slot(s)");
                await LaunchAsync(ct);
            }
            Report("scanning");
            await Task.Delay(left < _context.PollInterval ? left : _context.PollInterval, _context.Clock, ct);
        }
    }

    /// <summary>The result as things stand, also for a search cancelled midway.</summary>
    public CndSearchResult Result(StopReason reason, (uint Nonce, byte[] Digest)? golden) =>
        ResultOf(_request, book, clock.Elapsed, reason, golden, this);

    /// <summary>The result of a search in whatever state its slots are, also one that ended before
    /// launching (<paramref name="run"/> null: nothing was launched).</summary>
    public static CndSearchResult ResultOf(SearchRequest request, SlotBook book, TimeSpan elapsed, StopReason reason,
        (uint Nonce, byte[] Digest)? golden, Ec2SearchRun? run = null)
    {
        var (hours, cost) = run is null ? (0, 0) : run._ledger.Cost(run.Now, run._context.Price);
        return new()
        {
            Found = golden is not null,
            Nonce = golden?.Nonce,
            Hash = golden is { } g ? Convert.ToHexStringLower(g.Digest) : null,
            LeadingZeroBits = golden is { } h ? NonceHasher.LeadingZeroBits(h.Digest) : 0,
            Difficulty = request.Difficulty,
            Elapsed = elapsed,
            Hashes = book.Hashes,
            // The workers' own rates summed: what the fleet hashes per second while it scans.
            HashRate = book.Slots.Sum(s => s.Result?.Scan?.Rate ?? s.Progress?.Rate ?? 0),
            // The fleet that ran: fewer than the slots when EC2 refused some launches.
            Workers = run?._peakWorkers ?? 0,
            Provider = "EC2",
            SearchId = request.SearchId,
            StopReason = reason,
            Kernel = book.Slots.Select(s => s.Result?.Scan?.Kernel).FirstOrDefault(k => !string.IsNullOrEmpty(k)) ?? request.Kernel,
            NonceStart = request.NonceStart,
            NonceEnd = request.NonceEnd,
            BlockHex = Convert.ToHexStringLower(request.Block),
            Coverage = book.Coverage(reason),
            RelaunchedSlots = book.Relaunched,
            SpotWorkers = run?._ledger.SpotCount ?? 0,
            PlannedProbability = run?._context.PlannedProbability,
            Probability = run is null ? null : run._fleetProbability ?? run._context.PlannedProbability,
            InstanceHours = hours,
            EstimatedCost = cost,
            Warnings = run?._warnings.ToList() ?? [],
        };
    }

    // --- launching ------------------------------------------------------------------------------

    /// <summary>Starts instances for the waiting slots, one RunInstances call per market. A refusal
    /// keeps its slots waiting for the back-off, except that a spot shortfall with fallback turns
    /// them on-demand and tries again at once.</summary>
    private async Task LaunchAsync(CancellationToken ct)
    {
        var again = true;
        while (again && _context.Backoff.Ready(Now))
        {
            again = false;
            foreach (var group in book.Unlaunched.GroupBy(s => s.Spot).ToList())
                again |= await LaunchGroupAsync(group.ToList(), group.Key, ct);
        }
        _peakWorkers = Math.Max(_peakWorkers, book.Active);
    }

    /// <summary>Returns true when slots of this market should be launched again right away: EC2 started
    /// some but fewer than asked (another call learns why, or starts the rest), or a spot refusal
    /// fell back to on-demand.</summary>
    private async Task<bool> LaunchGroupAsync(IReadOnlyList<SlotState> slots, bool spot, CancellationToken ct)
    {
        IReadOnlyList<Ec2Instance> started;
        try
        {
            started = await LaunchOnceAsync(slots, spot, ct);
        }
        catch (AmazonEC2Exception e)
        {
            return Refused(slots, spot, e);
        }
        ct.ThrowIfCancellationRequested();
        if (started.Count >= slots.Count)
            _context.Backoff.Succeeded();
        else if (started.Count == 0)
            WarnRefusal($"none:{spot}", $"EC2 started none of {slots.Count} {Market(spot)} instance(s) of {_context.Target.InstanceType}", _context.Backoff.Failed(Now));
        return started.Count > 0 && started.Count < slots.Count;
    }

    private bool Refused(IReadOnlyList<SlotState> slots, bool spot, AmazonEC2Exception e)
    {
        var kind = LaunchErrors.Classify(e.ErrorCode);
        var what = $"EC2 refused {slots.Count} {Market(spot)} instance(s) of {_context.Target.InstanceType}: {e.ErrorCode} ({e.Message})";
        if (kind == LaunchErrorKind.Fatal || (kind == LaunchErrorKind.Limit && _ledger.Count == 0))
        {
            // Nothing launched yet: the request itself is wrong, or the account allows no instance at all.
            if (_ledger.Count == 0)
                throw kind == LaunchErrorKind.Limit
                    ? new AwsConfigurationException($"{what}. The account allows no instance of this kind now: raise the limit (Service Quotas), or use fewer or smaller instances.", e)
                    : e;
            foreach (var slot in slots)
                SlotLost(slot, $"RunInstances failed: {e.ErrorCode}: {e.Message}");
            return false;
        }
        if (spot && _context.SpotFallback && LaunchErrors.SpotOnly(e.ErrorCode))
        {
            foreach (var slot in slots)
                slot.Spot = false;
            Warn($"{what}; launching those slots on-demand instead (-SpotFallback).");
            return true;
        }
        foreach (var slot in slots)
            slot.LastFailure = $"{e.ErrorCode}: {e.Message}";
        WarnRefusal($"{e.ErrorCode}:{spot}", what, _context.Backoff.Failed(Now));
        return false;
    }

    /// <summary>One launch: a manifest for these slots and one RunInstances call for all of them.</summary>
    private async Task<IReadOnlyList<Ec2Instance>> LaunchOnceAsync(IReadOnlyList<SlotState> slots, bool spot, CancellationToken ct)
    {
        var launch = _nextLaunch++;
        var expiry = (_context.ShutdownAt + TimeSpan.FromMinutes(1)).UtcDateTime;
        var bucket = _context.Bucket;
        var manifest = new LaunchManifest
        {
            SearchId = _request.SearchId,
            BlockHex = Convert.ToHexStringLower(_request.Block),
            Difficulty = _request.Difficulty,
            ScannerUrl = _context.Scanner.Url,
            ScannerSha256 = _context.Scanner.Sha256,
            Deadline = _context.Deadline.ToUnixTimeSeconds(),
            ProgressIntervalSeconds = Math.Max(0.01, Math.Round(_context.ProgressInterval.TotalSeconds, 2)),
            Slots = slots.Select((s, i) => new ManifestSlot
            {
                LaunchIndex = i,
                Slot = s.Slot,
                Attempt = s.Attempt,
                Start = s.AttemptStart,
                End = s.Range.End,
                ProgressUrl = bucket.PresignPut(SearchObjectKeys.Progress(_request.SearchId, s.Slot, s.Attempt), expiry),
                ResultUrl = bucket.PresignPut(SearchObjectKeys.Result(_request.SearchId, s.Slot, s.Attempt), expiry),
            }).ToList(),
        };
        var key = SearchObjectKeys.Manifest(_request.SearchId, launch);
        await bucket.PutTextAsync(key, manifest.ToJson(), SearchTags(), ct);
        var userData = _context.UserData.Render(bucket.PresignGet(key, expiry), _context.ShutdownAt);
        var instances = await _context.Fleet.LaunchAsync(_context.Target, userData, slots.Count, launch, _context.SecurityGroupId, spot);
        var now = Now;
        foreach (var instance in instances)
        {
            _ledger.Launched(instance.InstanceId, spot, now);
            if (instance.AmiLaunchIndex is int index && index >= 0 && index < slots.Count)
                book.Launched(slots[index], instance.InstanceId, now);
        }
        return instances;
    }

    // --- watching -------------------------------------------------------------------------------

    /// <summary>Reads new reports and instance states; returns a verified golden nonce if one arrived.
    /// Instances are described before reports are listed: a worker writes its result before it powers
    /// off, so an instance seen gone has its result in the listing that follows.</summary>
    private async Task<(uint Nonce, byte[] Digest)?> PollAsync(CancellationToken ct)
    {
        var instances = await _context.Fleet.DescribeAsync(ct);
        var objects = await _context.Bucket.ListAsync(SearchObjectKeys.SearchPrefix(_request.SearchId), ct);
        var results = new List<SlotState>();
        foreach (var obj in objects)
        {
            if (!SearchObjectKeys.TryParseReport(obj.Key, out var slot, out var attempt, out var isResult)
                || slot >= book.Slots.Count || book[slot].Attempt != attempt || !book[slot].IsActive
                || (_readETags.TryGetValue(obj.Key, out var etag) && etag == obj.ETag))
                continue;
            var text = await _context.Bucket.GetTextOrNullAsync(obj.Key, ct);
            if (text is null)
                continue;
            _readETags[obj.Key] = obj.ETag;
            if (isResult && book.Apply(slot, attempt, ParseReport(text, WorkerResult.Parse, slot)))
                results.Add(book[slot]);
            else if (!isResult)
                book.Apply(slot, attempt, ParseReport(text, WorkerProgress.Parse, slot), Now);
        }

        (uint Nonce, byte[] Digest)? golden = null;
        foreach (var slot in results)
        {
            if (Trusted(slot) is not { } scan)
                continue;
            if (scan.Found && scan.Nonce is uint nonce && (golden is null || nonce < golden.Value.Nonce))
                golden = (nonce, Verified(slot, nonce));
            else if (!slot.Covered && _context.Deadline - Now > TimeSpan.Zero)
                SlotLost(slot, $"its worker stopped early ({scan.Status}) at nonce {scan.NextNonce}");
        }
        if (golden is not null)
            return golden;

        var now = Now;
        var gone = instances.Where(i => GoneStates.Contains(i.State?.Name?.Value ?? "")).ToDictionary(i => i.InstanceId, StringComparer.Ordinal);
        foreach (var id in gone.Keys)
            _ledger.Ended(id, now);
        foreach (var slot in book.Slots.Where(s => s.IsActive && s.InstanceId is not null && gone.ContainsKey(s.InstanceId)).ToList())
            SlotLost(slot, $"instance {slot.InstanceId} is {Describe(gone[slot.InstanceId!])} without a result");
        return null;
    }

    /// <summary>Ends the instances of workers that went quiet and relaunches their slots.</summary>
    private async Task ReplaceSilentAsync(CancellationToken ct)
    {
        foreach (var slot in book.Silent(Now, _context.BootTimeout, _context.SilenceTimeout))
        {
            var instanceId = slot.InstanceId!;
            var why = slot.Phase == SlotPhase.Pending
                ? $"instance {instanceId} sent no report within {Seconds(_context.BootTimeout)} of its launch"
                : $"instance {instanceId} sent no progress for {Seconds(_context.SilenceTimeout)}";
            try
            {
                await _context.Fleet.TerminateAsync(instanceId, ct);
            }
            catch (AmazonEC2Exception)
            {
                // It ends anyway at its scheduled power-off and with the fleet; its reports are stale
                // from now on, so a late one cannot make a range count twice.
            }
            _ledger.Ended(instanceId, Now);
            SlotLost(slot, why);
        }
    }

    /// <summary>The slot's scan, or null when its worker failed in a way a relaunch may fix (then the
    /// slot is lost); errors no relaunch can fix fail the whole search.</summary>
    private ScanOutcome? Trusted(SlotState slot)
    {
        var result = slot.Result!;
        var worker = $"The worker of slot {slot.Slot} (instance {result.InstanceId ?? slot.InstanceId})";
        if (result.Error is { } error)
        {
            if (FatalWorkerErrors.Any(prefix => error.StartsWith(prefix, StringComparison.Ordinal)))
                throw new Ec2WorkerException($"{worker} failed: {error}");
            SlotLost(slot, $"its worker failed: {error}");
            return null;
        }
        return result.Scan ?? throw new Ec2WorkerException($"{worker} wrote a result with neither a scan nor an error.");
    }

    /// <summary>A worker is believed only after the nonce is re-hashed here.</summary>
    private byte[] Verified(SlotState slot, uint nonce)
    {
        var digest = NonceHasher.Digest(_request.Block, nonce);
        var zeros = NonceHasher.LeadingZeroBits(digest);
        if (zeros < _request.Difficulty)
            throw new Ec2WorkerException(
                $"The worker of slot {slot.Slot} (instance {slot.InstanceId}) reported nonce {nonce} as golden, but its hash " +
                $"{Convert.ToHexStringLower(digest)} has {zeros} leading zero bits, fewer than {_request.Difficulty}; its scanner is not trusted.");
        return digest;
    }

    /// <summary>A slot lost its worker: relaunch it from its checkpoint, or give it up when it has
    /// used its attempts or too little time is left; either way the user is told.</summary>
    private void SlotLost(SlotState slot, string why)
    {
        var range = $"{slot.Range.Start}-{slot.Range.End}";
        if (_context.Deadline - Now < _context.RelaunchWindow)
        {
            book.GiveUp(slot, $"{why}; too little time left to relaunch it");
            Warn($"Slot {slot.Slot} ({range}) lost its worker: {why}. Too little time is left to relaunch it; nonces {slot.Checkpoint}-{slot.Range.End} stay unscanned.");
            return;
        }
        if (book.Lost(slot, why))
        {
            if (slot.Phase == SlotPhase.Unlaunched)
                Warn($"Slot {slot.Slot} ({range}) lost its worker: {why}. Relaunching it from nonce {slot.AttemptStart} (attempt {slot.Attempt + 1} of {book.MaxAttempts}).");
            return;
        }
        book.GiveUp(slot, $"failed {book.MaxAttempts} times; the last time: {why}");
        Warn($"Slot {slot.Slot} ({range}) failed {book.MaxAttempts} times (the last time: {why}); the search goes on without it, and nonces {slot.Checkpoint}-{slot.Range.End} are not covered.");
    }

    // --- telling the user -----------------------------------------------------------------------

    /// <summary>A refusal is worth one warning per cause, with the odds of the fleet that does run;
    /// its repeats only show in the progress status.</summary>
    private void WarnRefusal(string cause, string what, TimeSpan wait)
    {
        var running = book.Active;
        _fleetProbability = Odds(running);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{what}. {running} of {book.Slots.Count} worker(s) running; retrying in {wait.TotalSeconds:0.#} s. " +
            $"P(success) for the fleet running: {Percent(_fleetProbability.Value)} (planned {Percent(_context.PlannedProbability)} with {book.Slots.Count}).");
        if (_refusalsWarned.Add(cause))
            Warn(text);
        else
            Report(text);
    }

    private void Warn(string text)
    {
        _warnings.Add(text);
        Report(text);
    }

    /// <summary>P(success) of a fleet of <paramref name="workers"/>, planned the way the search was.</summary>
    private double Odds(int workers) => workers == 0 ? 0 : SearchPlanner.Plan(new PlanInputs
    {
        Difficulty = _request.Difficulty,
        TimeLimit = _request.TimeLimit,
        RatePerWorker = _context.Worker.RatePerWorker,
        BootOverhead = _context.Worker.BootOverhead,
        MaxWorkers = workers,
        RangeSize = _request.RangeSize,
        Workers = workers,
    }).Probability;

    private bool GivenUpForFailures(SlotState slot) => slot.Phase == SlotPhase.Abandoned && slot.Attempt + 1 >= book.MaxAttempts;

    private static string Describe(Ec2Instance instance) =>
        instance.StateReason?.Message is { Length: > 0 } reason ? $"{instance.State?.Name?.Value} ({reason})" : instance.State?.Name?.Value ?? "gone";

    private static string Market(bool spot) => spot ? "spot" : "on-demand";

    private static string Seconds(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s");

    private static string Percent(double p) => (p * 100).ToString(p is > 0 and < 0.0001 ? "0.##e0" : "0.##", CultureInfo.InvariantCulture) + "%";

    private static T ParseReport<T>(string json, Func<string, T> parse, int slot)
    {
        try
        {
            return parse(json);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new Ec2WorkerException($"The worker of slot {slot} wrote a report that is not valid JSON: {e.Message}");
        }
    }

    private Dictionary<string, string> SearchTags() => new()
    {
        [CndTags.CreatedBy] = CndTags.CreatedByValue,
        [CndTags.SearchId] = _request.SearchId,
    };

    private void Report(string status) => progress?.Report(new SearchProgress
    {
        SearchId = _request.SearchId,
        NoncesDone = Math.Min(book.Hashes, _request.RangeSize),
        NoncesTotal = _request.RangeSize,
        HashRate = book.Rate,
        Elapsed = clock.Elapsed,
        WorkersPending = book.Pending,
        WorkersRunning = book.Running,
        WorkersDone = book.Finished,
        Status = status,
    });
}
