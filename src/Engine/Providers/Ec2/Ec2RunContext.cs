using CloudNonce.Engine.Aws;
using CloudNonce.Engine.Planning;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Everything fixed for the length of one search.</summary>
public sealed record Ec2RunContext
{
    public required LaunchTarget Target { get; init; }
    public required ModuleBucket Bucket { get; init; }
    public required WorkerFleet Fleet { get; init; }
    public required WorkerUserData UserData { get; init; }
    /// <summary>One per architecture the search's instance types run; a launch takes its type's.</summary>
    public required WorkerScanners Scanners { get; init; }
    public required string SecurityGroupId { get; init; }
    /// <summary>In AWS's time (<see cref="Ec2RunState.Clock"/>), as the workers read it.</summary>
    public required DateTimeOffset Deadline { get; init; }
    public required DateTimeOffset ShutdownAt { get; init; }
    public required TimeSpan PollInterval { get; init; }
    public required TimeSpan ProgressInterval { get; init; }
    /// <summary>Shortest time left in which relaunching a lost slot is still worth it.</summary>
    public required TimeSpan RelaunchWindow { get; init; }
    public required TimeSpan BootTimeout { get; init; }
    public required TimeSpan SilenceTimeout { get; init; }
    public required LaunchBackoff Backoff { get; init; }
    public bool SpotFallback { get; init; }
    /// <summary>What one instance does, for recomputing the odds of the fleet that actually runs.</summary>
    public required UnitProfile Unit { get; init; }
    /// <summary>-MaxCost, watched as the spend accrues; null without a cap.</summary>
    public BudgetGuard? Budget { get; init; }
}
