using System.Text.Json;
using CloudNonce.Engine.Aws;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Reads the workers' reports from the bucket into the slot book, asking only for what can have
/// changed (<see cref="ReportPollPlan"/>): the current attempt's reports of each active slot, directly
/// while they are few, else through one listing of the reports and then only the objects whose ETag
/// moved. A relaunched slot never takes its predecessor's word.</summary>
public sealed class WorkerReportReader(ModuleBucket bucket, Ec2RunState state, TimeSpan progressInterval)
{
    private readonly Dictionary<string, string> _readETags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _changedAt = new(StringComparer.Ordinal);
    private readonly string _searchId = state.Request.SearchId;
    private bool? _listing;

    private SlotBook Book => state.Book;

    /// <summary>Applies new progress and results; returns the slots that got a result in this read.</summary>
    public async Task<IReadOnlyList<SlotState>> ReadAsync(DateTimeOffset now, CancellationToken ct)
    {
        var plan = ReportPollPlan.For(_searchId, Book.Slots, now, progressInterval, key => _changedAt.TryGetValue(key, out var at) ? at : null);
        var results = new List<SlotState>();
        if (_listing != plan.List)
        {
            _listing = plan.List;
            state.Event("poll-mode", new { mode = plan.List ? "list" : "get", activeSlots = Book.Active });
        }
        if (plan.List)
        {
            foreach (var obj in await bucket.ListAsync(SearchObjectKeys.ReportsPrefix(_searchId), ct))
            {
                if (!IsCurrent(obj.Key, out _, out _, out _) || (_readETags.TryGetValue(obj.Key, out var etag) && etag == obj.ETag))
                    continue;
                if (await bucket.GetTextIfChangedAsync(obj.Key, null, ct) is { } read)
                    Take(obj.Key, read.Text, read.ETag, now, results);
            }
        }
        else
        {
            foreach (var key in plan.Reads)
            {
                if (IsCurrent(key, out _, out _, out _) && await bucket.GetTextIfChangedAsync(key, _readETags.GetValueOrDefault(key), ct) is { } read)
                    Take(key, read.Text, read.ETag, now, results);
            }
        }
        return results;
    }

    /// <summary>The key is a report of a slot's current, active attempt (a result read earlier in this
    /// poll may have ended it).</summary>
    private bool IsCurrent(string key, out int slot, out int attempt, out bool isResult) =>
        SearchObjectKeys.TryParseReport(key, out slot, out attempt, out isResult)
        && slot < Book.Slots.Count && Book[slot].Attempt == attempt && Book[slot].IsActive;

    private void Take(string key, string text, string etag, DateTimeOffset now, List<SlotState> results)
    {
        if (!IsCurrent(key, out var slot, out var attempt, out var isResult))
            return;
        _readETags[key] = etag;
        _changedAt[key] = now;
        if (isResult)
        {
            var result = Parse(text, WorkerResult.Parse, slot);
            if (!Book.RecordResult(slot, attempt, result))
                return;
            results.Add(Book[slot]);
            state.Timelines.RecordResult(slot, attempt, result, now);
            state.Event("worker-result", new { slot, attempt, result.InstanceId, status = result.Scan?.Status, result.Scan?.Nonce, result.Scan?.Hashes, result.Error });
        }
        else
        {
            var progress = Parse(text, WorkerProgress.Parse, slot);
            var first = Book[slot].Progress is null;
            if (!Book.RecordProgress(slot, attempt, progress, now))
                return;
            state.Timelines.RecordProgress(slot, attempt, progress, now);
            state.Event(first ? "worker-started" : "worker-progress",
                new { slot, attempt, progress.InstanceId, progress.NextNonce, progress.Hashes, progress.NoncesPerSecond, progress.Timeline });
        }
    }

    private static T Parse<T>(string json, Func<string, T> parse, int slot)
    {
        try
        {
            return parse(json);
        }
        catch (JsonException e)
        {
            throw new Ec2WorkerException($"The worker of slot {slot} wrote a report that is not valid JSON: {e.Message}");
        }
    }
}
