using System.Diagnostics;
using Amazon.EC2;
using CloudNonce.Engine.Aws;
using CloudNonce.Engine.Hashing;
using CloudNonce.Engine.Search;

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
}

/// <summary>The controller of one search: launches the slots, polls the workers' reports in S3,
/// relaunches slots that did not start or were lost, and stops at the first verified golden nonce,
/// when every slot is done, or at the deadline. Ending the instances is the caller's job.</summary>
public sealed class Ec2SearchRun(Ec2RunContext context, SlotBook book, IProgress<SearchProgress>? progress, Stopwatch clock)
{
    /// <summary>Launches per slot: the first and two relaunches.</summary>
    public const int MaxAttemptsPerSlot = 3;

    private static readonly HashSet<string> GoneStates = ["shutting-down", "terminated", "stopping", "stopped"];
    private readonly Dictionary<string, string> _readETags = new(StringComparer.Ordinal);
    private readonly SearchRequest _request = context.Request;
    private int _nextLaunch;

    public async Task<CndSearchResult> RunAsync(CancellationToken ct)
    {
        Report($"launching {book.Slots.Count} instance(s) of {context.Target.InstanceType}");
        await LaunchAsync(book.Unlaunched, relaunch: false, ct);
        while (true)
        {
            if (await PollAsync(ct) is { } golden)
                return Result(StopReason.Found, golden);
            if (book.AllFinished)
                return Result(book.Slots.All(CoveredWholeRange) ? StopReason.Exhausted : StopReason.TimeLimit, null);
            var left = context.Deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
                return Result(StopReason.TimeLimit, null);
            if (book.Unlaunched.Count > 0)
            {
                Report($"relaunching {book.Unlaunched.Count} slot(s)");
                await LaunchAsync(book.Unlaunched, relaunch: true, ct);
            }
            Report("scanning");
            await Task.Delay(left < context.PollInterval ? left : context.PollInterval, ct);
        }
    }

    private CndSearchResult Result(StopReason reason, (uint Nonce, byte[] Digest)? golden) => ResultOf(_request, book, clock.Elapsed, reason, golden);

    /// <summary>The result of a search in whatever state its slots are, also one that ended before launching.</summary>
    public static CndSearchResult ResultOf(SearchRequest request, SlotBook book, TimeSpan elapsed, StopReason reason, (uint Nonce, byte[] Digest)? golden) => new()
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
        Workers = book.Slots.Count,
        Provider = "EC2",
        SearchId = request.SearchId,
        StopReason = reason,
        Kernel = book.Slots.Select(s => s.Result?.Scan?.Kernel).FirstOrDefault(k => !string.IsNullOrEmpty(k)) ?? request.Kernel,
        NonceStart = request.NonceStart,
        NonceEnd = request.NonceEnd,
        BlockHex = Convert.ToHexStringLower(request.Block),
    };

    /// <summary>Starts instances for the slots. RunInstances may start fewer than asked (EC2 launches
    /// what capacity allows, at least one): the slots left out go straight into another launch,
    /// until every slot has an instance or EC2 refuses; refused slots count as lost.</summary>
    private async Task LaunchAsync(IReadOnlyList<SlotState> slots, bool relaunch, CancellationToken ct)
    {
        var waiting = slots;
        while (waiting.Count > 0)
        {
            IReadOnlyList<Amazon.EC2.Model.Instance> started;
            try
            {
                started = await LaunchOnceAsync(waiting, ct);
            }
            catch (AmazonEC2Exception e) when (relaunch || waiting.Count < slots.Count)
            {
                // Capacity and limits come and go: count it as a failed attempt of each slot.
                foreach (var slot in waiting)
                    SlotLost(slot, $"RunInstances failed: {e.ErrorCode}: {e.Message}");
                return;
            }
            ct.ThrowIfCancellationRequested();
            if (started.Count == 0)
            {
                foreach (var slot in waiting)
                    SlotLost(slot, "RunInstances started no instance");
                return;
            }
            waiting = waiting.Where(s => s.Phase == SlotPhase.Unlaunched).ToList();
        }
    }

    /// <summary>One launch: a manifest for these slots and one RunInstances call for all of them.</summary>
    private async Task<IReadOnlyList<Amazon.EC2.Model.Instance>> LaunchOnceAsync(IReadOnlyList<SlotState> slots, CancellationToken ct)
    {
        var launch = _nextLaunch++;
        var expiry = (context.ShutdownAt + TimeSpan.FromMinutes(1)).UtcDateTime;
        var bucket = context.Bucket;
        var manifest = new LaunchManifest
        {
            SearchId = _request.SearchId,
            BlockHex = Convert.ToHexStringLower(_request.Block),
            Difficulty = _request.Difficulty,
            ScannerUrl = context.Scanner.Url,
            ScannerSha256 = context.Scanner.Sha256,
            Deadline = context.Deadline.ToUnixTimeSeconds(),
            ProgressIntervalSeconds = Math.Max(1, (int)Math.Round(context.ProgressInterval.TotalSeconds)),
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
        var userData = context.UserData.Render(bucket.PresignGet(key, expiry), context.ShutdownAt);
        var instances = await context.Fleet.LaunchAsync(context.Target, userData, slots.Count, launch, context.SecurityGroupId);
        foreach (var instance in instances)
            if (instance.AmiLaunchIndex is int index && index >= 0 && index < slots.Count)
                book.Launched(slots[index], instance.InstanceId);
        return instances;
    }

    /// <summary>Reads new reports and instance states; returns a verified golden nonce if one arrived.
    /// Instances are described before reports are listed: a worker writes its result before it powers
    /// off, so an instance seen gone has its result in the listing that follows.</summary>
    private async Task<(uint Nonce, byte[] Digest)?> PollAsync(CancellationToken ct)
    {
        var instances = await context.Fleet.DescribeAsync(ct);
        var objects = await context.Bucket.ListAsync(SearchObjectKeys.SearchPrefix(_request.SearchId), ct);
        var results = new List<SlotState>();
        foreach (var obj in objects)
        {
            if (!SearchObjectKeys.TryParseReport(obj.Key, out var slot, out var attempt, out var isResult)
                || slot >= book.Slots.Count || book[slot].Attempt != attempt || !book[slot].IsActive
                || (_readETags.TryGetValue(obj.Key, out var etag) && etag == obj.ETag))
                continue;
            var text = await context.Bucket.GetTextOrNullAsync(obj.Key, ct);
            if (text is null)
                continue;
            _readETags[obj.Key] = obj.ETag;
            if (isResult && book.Apply(slot, attempt, ParseReport(text, WorkerResult.Parse, slot)))
                results.Add(book[slot]);
            else if (!isResult)
                book.Apply(slot, attempt, ParseReport(text, WorkerProgress.Parse, slot));
        }

        (uint Nonce, byte[] Digest)? golden = null;
        foreach (var slot in results)
        {
            var scan = Trusted(slot);
            if (scan.Found && scan.Nonce is uint nonce && (golden is null || nonce < golden.Value.Nonce))
                golden = (nonce, Verified(slot, nonce));
        }
        if (golden is not null)
            return golden;

        var gone = instances.Where(i => GoneStates.Contains(i.State?.Name?.Value ?? "")).Select(i => i.InstanceId).ToHashSet(StringComparer.Ordinal);
        foreach (var slot in book.Slots.Where(s => s.IsActive && s.InstanceId is not null && gone.Contains(s.InstanceId)))
            SlotLost(slot, $"instance {slot.InstanceId} stopped without writing a result");
        return null;
    }

    /// <summary>The slot's scan, unless its worker reported an error: that fails the whole search.</summary>
    private static ScanOutcome Trusted(SlotState slot)
    {
        var result = slot.Result!;
        if (result.Error is { } error)
            throw new Ec2WorkerException($"The worker of slot {slot.Slot} (instance {result.InstanceId ?? slot.InstanceId}) failed: {error}");
        return result.Scan ?? throw new Ec2WorkerException($"The worker of slot {slot.Slot} (instance {result.InstanceId ?? slot.InstanceId}) wrote a result with neither a scan nor an error.");
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

    private void SlotLost(SlotState slot, string why)
    {
        var left = context.Deadline - DateTimeOffset.UtcNow;
        if (left < context.RelaunchWindow)
        {
            book.Abandon(slot);
            return;
        }
        if (!book.Lost(slot))
            throw new Ec2WorkerException($"Slot {slot.Slot} failed {book.MaxAttempts} times; the last time: {why}.");
    }

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

    private static bool CoveredWholeRange(SlotState slot) =>
        slot.Phase == SlotPhase.Done && (slot.Result?.Scan is null || slot.Result.Scan.Status is "exhausted" or "found");

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
