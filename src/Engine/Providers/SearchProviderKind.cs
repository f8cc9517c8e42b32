namespace CloudNonce.Engine.Providers;

/// <summary>Where a search runs. The -Provider parameters bind to it, the factory maps it to an
/// implementation, and results name it (CndSearchResult.Provider is its name).</summary>
public enum SearchProviderKind
{
    /// <summary>This machine's cores; a worker is a thread.</summary>
    Local,
    /// <summary>A fleet of EC2 instances; a worker is an instance.</summary>
    EC2,
}
