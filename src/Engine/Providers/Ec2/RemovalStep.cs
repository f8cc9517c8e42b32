namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>One thing to remove, found before anything is touched, so the caller can ask first.</summary>
public sealed record RemovalStep
{
    public required CndResourceKind Kind { get; init; }
    public required string Id { get; init; }
    public string? SearchId { get; init; }
    /// <summary>For the confirmation prompt ("instance i-0123 of search cnd-… (running)").</summary>
    public required string Description { get; init; }
    /// <summary>The verb of the prompt: Terminate or Delete.</summary>
    public string Action { get; init; } = "Delete";
    /// <summary>For S3 objects and the bucket: the bucket; for S3 objects, the keys.</summary>
    public string? Bucket { get; init; }
    public IReadOnlyList<string> Keys { get; init; } = [];
}
