namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>One instance the module launched, as Get-CndFleet shows it. SearchId binds by property
/// name to Remove-CndResources.</summary>
public sealed record CndFleetInstance
{
    public required string SearchId { get; init; }
    public required string InstanceId { get; init; }
    /// <summary>EC2 state: pending, running, shutting-down, terminated, …</summary>
    public required string State { get; init; }
    public required string InstanceType { get; init; }
    /// <summary>The controller's slot number; null when the manifest cannot be read.</summary>
    public int? Slot { get; init; }
    /// <summary>"start-end" of the nonces this instance was given (inclusive).</summary>
    public string? NonceRange { get; init; }
    /// <summary>Percent of its range scanned, from its last report; null before the first one.</summary>
    public double? Progress { get; init; }
    public DateTime? LaunchTime { get; init; }
    public int? LaunchIndex { get; init; }
    public required string Region { get; init; }
}
