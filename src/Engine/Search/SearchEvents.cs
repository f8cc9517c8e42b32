using CloudNonce.Engine.Hashing;

namespace CloudNonce.Engine.Search;

/// <summary>The events every provider writes the same way: a search's start and its end.</summary>
public static class SearchEvents
{
    /// <summary>Records nothing: what a search without -LogPath writes to.</summary>
    public static readonly ISearchEventSink None = new NoSink();

    public static void Started(this ISearchEventSink sink, SearchRequest request, string provider) =>
        sink.Write(request.SearchId, "start", new
        {
            provider,
            blockHex = HexText.Lower(request.Block),
            request.Difficulty,
            request.NonceStart,
            request.NonceEnd,
            timeLimitSeconds = request.TimeLimit.TotalSeconds,
            unitsRequested = request.Units,
            request.Confidence,
        });

    public static void Ended(this ISearchEventSink sink, CndSearchResult result) =>
        sink.Write(result.SearchId, "end", new
        {
            result.StopReason,
            result.Found,
            result.Nonce,
            result.Hash,
            elapsedSeconds = result.Elapsed.TotalSeconds,
            result.Hashes,
            result.NoncesPerSecond,
            result.Threads,
            result.PeakInstances,
            timeToFirstHashSeconds = result.TimeToFirstHash?.TotalSeconds,
            scanningSeconds = result.ScanningTime.TotalSeconds,
            controllerOverheadSeconds = result.ControllerOverhead.TotalSeconds,
            coverage = result.Coverage?.ToString(),
            result.InstanceHours,
            result.EstimatedCost,
            warnings = result.Warnings.Count,
        });

    public static void Failed(this ISearchEventSink sink, SearchRequest request, Exception error) =>
        sink.Write(request.SearchId, "failed", new { error = error.GetType().Name, error.Message });

    private sealed class NoSink : ISearchEventSink
    {
        public void Write(string searchId, string name, object? fields = null)
        {
        }
    }
}
