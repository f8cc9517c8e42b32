namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>The work of the instance whose ami-launch-index is <see cref="LaunchIndex"/>.</summary>
public sealed record ManifestSlot
{
    public required int LaunchIndex { get; init; }
    public required int Slot { get; init; }
    /// <summary>Which launch of the slot this is (0 first); workers ignore it, fleet listings use it.</summary>
    public required int Attempt { get; init; }
    public required uint Start { get; init; }
    public required uint End { get; init; }
    public required string ProgressUrl { get; init; }
    public required string ResultUrl { get; init; }
}
