namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>What Remove-CndResources should remove: everything the module created in the region, or
/// one search's part of it; plus key pairs left by the original tool, by name.</summary>
public sealed record RemovalScope
{
    /// <summary>Empty: every search, the shared scanner objects and (unless KeepBucket) the bucket.</summary>
    public IReadOnlyList<string> SearchIds { get; init; } = [];
    /// <summary>null: the default bucket of the account and region.</summary>
    public string? Bucket { get; init; }
    public bool KeepBucket { get; init; }
    public IReadOnlyList<string> KeyPairNames { get; init; } = [];
}
