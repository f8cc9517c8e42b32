using CloudNonce.Engine.Pricing;

namespace CloudNonce.Engine.Planning;

/// <summary>How many units a search uses and how likely it is to succeed within its time limit. A unit is
/// what the provider runs in parallel, each at <see cref="NoncesPerSecondPerUnit"/>: a thread (Local) or
/// an instance (EC2).</summary>
public sealed record SearchPlan
{
    private readonly PlanInputs _inputs;

    internal SearchPlan(PlanInputs inputs) => _inputs = inputs;

    public int Difficulty => _inputs.Difficulty;
    /// <summary>The target the plan was held to: the requested one, or the default when the
    /// unit count was chosen without one; null when there was no target.</summary>
    public double? Confidence { get; init; }
    public TimeSpan TimeLimit => _inputs.TimeLimit;
    public double NoncesPerSecondPerUnit => _inputs.NoncesPerSecondPerUnit;
    public TimeSpan BootOverhead => _inputs.BootOverhead;
    public int MaxUnits => _inputs.MaxUnits;
    public ulong RangeSize => _inputs.RangeSize;
    /// <summary>What <see cref="Units"/> counts: threads (Local) or instances (EC2).</summary>
    public PlanUnit UnitKind => _inputs.UnitKind;

    /// <summary>What one unit is ("1 thread of the avx2 kernel"); empty when planned from bare numbers.</summary>
    public string Unit { get; init; } = "";
    public required int Units { get; init; }
    /// <summary>P(a golden nonce is found within the time limit) with <see cref="Units"/> units.</summary>
    public required double Probability { get; init; }
    /// <summary>P(a golden nonce exists in the range at all): the ceiling no unit count can pass.</summary>
    public required double ExistenceProbability { get; init; }
    /// <summary>Whether the units hash the whole range within the time limit.</summary>
    public required bool CoversRange { get; init; }
    /// <summary>Time for <see cref="Units"/> units to hash the whole range, boot included.</summary>
    public required TimeSpan SweepTime { get; init; }
    /// <summary>True when there is no confidence target or the plan meets it.</summary>
    public required bool Reachable { get; init; }
    /// <summary>Smallest unit count that reaches the confidence ignoring the maximum; null when none can.</summary>
    public ulong? UnitsNeeded { get; init; }
    /// <summary>One or two sentences a user can act on.</summary>
    public required string Explanation { get; init; }
    /// <summary>What the planned fleet costs, part by part; null for providers that cost nothing (Local).</summary>
    public CostBreakdown? CostBreakdown { get; init; }
    /// <summary>USD: the breakdown's total; null without a price (pass -PricePerHour) or a cost.</summary>
    public double? EstimatedCost => CostBreakdown?.Total;

    /// <summary>The -MaxCost the plan was held to, USD; null without a cap.</summary>
    public double? MaxCost { get; init; }
    /// <summary>With a cap the fleet cannot afford for the whole -TimeLimit: how long the budget keeps
    /// it running (the plan's P is for that time; the search ends then with StopReason Budget).</summary>
    public TimeSpan? BudgetTime { get; init; }
    /// <summary>The EC2 instance type of the workers; null for other providers.</summary>
    public string? InstanceType { get; init; }
    /// <summary>The instance type chosen by -InstanceType Auto or from a list, and why; null otherwise.</summary>
    public string? InstanceChoice { get; init; }
    /// <summary>Why the search must not start (a -MaxCost below the billing minimum); null when it may.</summary>
    public string? Refusal { get; init; }
    /// <summary>What a user should know before launching (a time limit inside the boot overhead, a
    /// difficulty this machine alone finds sooner than a worker boots).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
