using CloudNonce.Engine.Search;

namespace CloudNonce.Engine.Planning;

/// <summary>What a plan is computed from. Rate and boot overhead come from the provider (Local: the
/// measured rate of one thread, no boot; EC2: an instance's rate and launch-to-scanning time).</summary>
public sealed record PlanInputs
{
    public required int Difficulty { get; init; }
    /// <summary>Target probability of success, 0 &lt; L ≤ 1. Null: no target (the plan only reports P).</summary>
    public double? Confidence { get; init; }
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(300);
    /// <summary>Nonces per second of one unit (a thread locally, an instance on EC2).</summary>
    public required double NoncesPerSecondPerUnit { get; init; }
    /// <summary>Time from launch until a unit hashes; it hashes for TimeLimit - BootOverhead.</summary>
    public TimeSpan BootOverhead { get; init; }
    public int MaxUnits { get; init; } = SearchPlanner.DefaultMaxUnits;
    public ulong RangeSize { get; init; } = SearchPlanner.FullRange;
    /// <summary>A fixed unit count, or 0 to choose the smallest count that reaches the confidence.</summary>
    public int Units { get; init; }
    /// <summary>What a unit is, for the plan's messages.</summary>
    public required PlanUnit UnitKind { get; init; }

    /// <summary>The inputs for a search request, given what one of the provider's units does.</summary>
    public static PlanInputs For(SearchRequest request, PlanUnit unitKind, double noncesPerSecondPerUnit, TimeSpan bootOverhead, int maxUnits, int units) => new()
    {
        Difficulty = request.Difficulty,
        Confidence = request.Confidence,
        TimeLimit = request.TimeLimit,
        NoncesPerSecondPerUnit = noncesPerSecondPerUnit,
        BootOverhead = bootOverhead,
        MaxUnits = maxUnits,
        RangeSize = request.RangeSize,
        Units = units,
        UnitKind = unitKind,
    };
}
