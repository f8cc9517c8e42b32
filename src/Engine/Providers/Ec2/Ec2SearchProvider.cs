using CloudNonce.Engine.Search;

namespace CloudNonce.Engine.Providers.Ec2;

// Interim: replaced by the real EC2 provider (issue 5) — being written now.
public sealed class Ec2SearchProvider(Ec2Options options) : ISearchProvider
{
    public string Name => "EC2";
    public Ec2Options Options { get; } = options;

    public Task<CndSearchResult> RunAsync(SearchRequest request, IProgress<SearchProgress>? progress, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The EC2 provider is not built yet.");
}
