using CloudNonce.Engine.Search;

namespace CloudNonce.Engine.Providers;

/// <summary>Something that can run a search: every core of this machine, or a fleet of EC2 workers.
/// Implementations must leave nothing running when the returned task completes, whether it
/// completed by finding, exhausting, timing out, cancellation or an exception.</summary>
public interface ISearchProvider
{
    SearchProviderKind Kind { get; }

    Task<CndSearchResult> RunAsync(SearchRequest request, IProgress<SearchProgress>? progress, CancellationToken cancellationToken);
}
