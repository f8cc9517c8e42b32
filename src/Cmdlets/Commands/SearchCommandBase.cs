namespace CloudNonce.Cmdlets.Commands;

/// <summary>The search parameters Start-CndSearch and Get-CndSearchPlan share, declared once so that
/// one splatted set of parameters means the same to both and a new parameter is one edit here: the
/// ones of every shape below, the EC2 ones in <see cref="Ec2SearchParameters"/>. -Difficulty and
/// -Provider stay with each cmdlet: their position, pipeline input and parameter sets differ.</summary>
public abstract class SearchCommandBase : CndAwsCmdlet
{
    [Parameter]
    [Alias("N")]
    [ValidateInRange(0, SearchPlanner.LargestWorkerCount)]
    public int VMCount { get; set; }

    /// <summary>Null: the cmdlet's own default (Get-CndSearchPlan plans for 0.95; Start-CndSearch
    /// runs a local search whatever its odds).</summary>
    [Parameter]
    [Alias("L")]
    [ValidateConfidence]
    public double? Confidence { get; set; }

    [Parameter]
    [Alias("T")]
    [TimeSpanSeconds]
    [ValidatePositive]
    public TimeSpan TimeLimit { get; set; } = SearchRequest.DefaultTimeLimit;

    [Parameter]
    [Alias("MaxWorkers")]
    [ValidateInRange(1, SearchPlanner.LargestWorkerCount)]
    public int MaxVMCount { get; set; } = SearchPlanner.DefaultMaxUnits;

    [Parameter]
    public uint NonceStart { get; set; }

    [Parameter]
    public uint NonceEnd { get; set; } = uint.MaxValue;

    /// <summary>Declared by each cmdlet with its parameter sets (and [ProviderName]); defaults to Local.</summary>
    public abstract SearchProviderKind Provider { get; set; }

    private ParameterGroup<Ec2SearchParameters>? _ec2;

    private ParameterGroup<Ec2SearchParameters> Ec2Group => _ec2 ??= new(Ec2ParameterSets);

    /// <summary>The EC2 search parameters as given.</summary>
    protected Ec2SearchParameters Ec2 => Ec2Group.Values;

    private protected override IEnumerable<IParameterGroup> ParameterGroups => [Ec2Group, .. base.ParameterGroups];

    protected bool IsLocal => Provider == SearchProviderKind.Local;

    /// <summary>The EC2 options the shared parameters say, with the instance type's measured rate when
    /// there is one; each cmdlet adds its own with `with`.</summary>
    protected Ec2Options Ec2PlanningOptions() => Ec2Planning.Options(AwsProviderOptions() with
    {
        SubnetId = Ec2.SubnetId,
        MaxInstances = MaxVMCount,
        Spot = Ec2.Spot,
        PricePerHour = Ec2.PricePerHour,
        MaxCost = Ec2.MaxCost,
    }, Ec2.InstanceType, WriteWarning);
}
