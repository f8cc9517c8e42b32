namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Something removed, as Remove-CndResources reports it.</summary>
public sealed record CndRemovedResource
{
    public required CndResourceKind Kind { get; init; }
    public required string Id { get; init; }
    public string? SearchId { get; init; }
    /// <summary>Terminated or Deleted.</summary>
    public required string Action { get; init; }
    public required string Region { get; init; }
}
