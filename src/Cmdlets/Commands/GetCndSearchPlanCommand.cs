namespace CloudNonce.Cmdlets.Commands;

/// <summary>How many workers reach a confidence within a time limit, the probability of success, and
/// for EC2 what the fleet would cost.</summary>
[Cmdlet(VerbsCommon.Get, "CndSearchPlan", DefaultParameterSetName = ParameterSets.Local)]
[OutputType(typeof(SearchPlan))]
public sealed class GetCndSearchPlanCommand : SearchCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("D")]
    [ValidateRange(0, NonceHasher.MaxDifficulty)]
    public int Difficulty { get; set; }

    /// <summary>In every shape: no parameter is Local-only, so the Local set is the default set's name
    /// alone, and the EC2 parameters make the other.</summary>
    [Parameter]
    // PowerShell completes an enum parameter with its names itself (and ignores an ArgumentCompleter).
    [ProviderName]
    public override SearchProviderKind Provider { get; set; } = SearchProviderKind.Local;

    [Parameter]
    [ValidatePositive]
    public double? HashRate { get; set; }

    [Parameter]
    [TimeSpanSeconds]
    [ValidatePositive(AllowZero = true)]
    public TimeSpan BootOverhead { get; set; } = TimeSpan.Zero;

    protected override IReadOnlyList<string> Ec2ParameterSets => [ParameterSets.Ec2];

    private double _rate;
    private TimeSpan _bootOverhead;
    private string _worker = "";
    private Ec2SearchProvider? _ec2;

    protected override void BeginProcessing()
    {
        RequireNonceRange(NonceStart, NonceEnd);
        RequireVMCountWithinMaximum(VMCount, MaxVMCount);
        RequireParametersFor(Provider);
        _bootOverhead = BootOverhead;
        try
        {
            if (!IsLocal) DescribeEc2Worker();
            else _rate = HashRate ?? MeasuredLocalRate();
        }
        catch (Exception e) when (e is CndNativeException or ArgumentOutOfRangeException)
        {
            ThrowTerminatingError(EngineError(e, null));
        }
    }

    protected override void ProcessRecord()
    {
        if (_ec2 is not null)
        {
            var request = new SearchRequest
            {
                Block = [], Difficulty = Difficulty, Confidence = Confidence ?? SearchPlanner.DefaultConfidence, TimeLimit = TimeLimit,
                NonceStart = NonceStart, NonceEnd = NonceEnd, Units = VMCount,
            };
            var ec2Plan = RunAws(token => _ec2.PlanAsync(request, token), Difficulty);
            if (ec2Plan.InstanceChoice is { } choice) WriteVerbose($"Instance type: {choice}");
            foreach (var warning in ec2Plan.Warnings) WriteWarning(warning);
            if (ec2Plan.Refusal is { } refusal) WriteWarning($"Start-CndSearch would refuse this plan: {refusal}");
            WriteObject(ec2Plan);
            return;
        }
        var plan = SearchPlanner.Plan(new PlanInputs
        {
            Difficulty = Difficulty,
            Confidence = Confidence ?? SearchPlanner.DefaultConfidence,
            TimeLimit = TimeLimit,
            NoncesPerSecondPerUnit = _rate,
            BootOverhead = _bootOverhead,
            MaxUnits = MaxVMCount,
            RangeSize = (ulong)NonceEnd - NonceStart + 1,
            Units = VMCount,
            UnitKind = PlanUnit.Thread,
        }) with { Unit = _worker };
        WriteObject(plan);
    }

    /// <summary>An EC2 worker is one instance: its rate and boot overhead come from the instance
    /// type (measured by Measure-CndPerformance -Provider EC2, else the documented table) unless
    /// -HashRate or -BootOverhead say otherwise.</summary>
    private void DescribeEc2Worker()
    {
        Ec2SearchProvider.CheckTimeLimit(TimeLimit);
        var options = Ec2PlanningOptions();
        if (Ec2.SubnetId is not null) WriteVerbose($"-SubnetId {Ec2.SubnetId}: the plan does not depend on it; Start-CndSearch checks that the subnet reaches S3 before it launches.");
        var overridden = HashRate is not null || MyInvocation.BoundParameters.ContainsKey(nameof(BootOverhead));
        if (overridden && options.InstanceTypeChoices is not null)
        {
            ThrowTerminatingError(ParameterConflict("RateNeedsOneInstanceType",
                "-HashRate and -BootOverhead describe one instance type: name one with -InstanceType rather than Auto or a list.", Ec2.InstanceType));
        }
        var rate = options.RateFor(options.InstanceType);
        if (overridden)
        {
            rate = new InstanceTypeRate(rate.InstanceType, HashRate ?? rate.NoncesPerSecond,
                MyInvocation.BoundParameters.ContainsKey(nameof(BootOverhead)) ? BootOverhead : rate.BootOverhead, "-HashRate/-BootOverhead");
            options = options with { MeasuredRate = rate };
        }
        _ec2 = new Ec2SearchProvider(options);
        if (options.InstanceTypeChoices is null)
            WriteVerbose($"EC2 worker: one {rate.InstanceType} instance ({rate.Source}), {rate.NoncesPerSecond / 1e6:0.##} M nonces/s, {rate.BootOverhead.TotalSeconds:0.#} s from launch to hashing.");
    }

    private double MeasuredLocalRate()
    {
        var kernel = NativeKernels.Best();
        var rate = LocalThreadRate.PerThread(kernel);
        WriteVerbose($"No -HashRate: using one local thread of the {kernel} kernel, measured at {rate / 1e6:0.##} M nonces/s.");
        return rate;
    }
}
