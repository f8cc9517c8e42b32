using System.Text.Json;
using CloudNonce.Engine.Aws;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Reads the workers' reports from the bucket into the slot book: one listing of the search's
/// prefix per poll, then only the objects that are new or changed since they were last read, and only
/// those of each slot's current attempt (a relaunched slot never takes its predecessor's word).</summary>
public sealed class WorkerReportReader(ModuleBucket bucket, string searchId, SlotBook book)
{
    private readonly Dictionary<string, string> _readETags = new(StringComparer.Ordinal);

    /// <summary>Applies new progress and results; returns the slots that got a result in this read.</summary>
    public async Task<IReadOnlyList<SlotState>> ReadAsync(DateTimeOffset now, CancellationToken ct)
    {
        var objects = await bucket.ListAsync(SearchObjectKeys.SearchPrefix(searchId), ct);
        var results = new List<SlotState>();
        foreach (var obj in objects)
        {
            if (!SearchObjectKeys.TryParseReport(obj.Key, out var slot, out var attempt, out var isResult)
                || slot >= book.Slots.Count || book[slot].Attempt != attempt || !book[slot].IsActive
                || (_readETags.TryGetValue(obj.Key, out var etag) && etag == obj.ETag))
                continue;
            var text = await bucket.GetTextOrNullAsync(obj.Key, ct);
            if (text is null)
                continue;
            _readETags[obj.Key] = obj.ETag;
            if (isResult && book.Apply(slot, attempt, Parse(text, WorkerResult.Parse, slot)))
                results.Add(book[slot]);
            else if (!isResult)
                book.Apply(slot, attempt, Parse(text, WorkerProgress.Parse, slot), now);
        }
        return results;
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
