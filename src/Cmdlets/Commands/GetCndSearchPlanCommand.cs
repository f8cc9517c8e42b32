using System.Management.Automation;
using CloudNonce.Cmdlets.Infrastructure;
using CloudNonce.Cmdlets.Parameters;
using CloudNonce.Engine.Hashing;
using CloudNonce.Engine.Native;
using CloudNonce.Engine.Planning;
using CloudNonce.Engine.Providers.Local;
using CloudNonce.Engine.Search;

namespace CloudNonce.Cmdlets.Commands;

/// <summary>How many workers reach a confidence within a time limit, and the probability of success.</summary>
[Cmdlet(VerbsCommon.Get, "CndSearchPlan")]
[OutputType(typeof(SearchPlan))]
public sealed class GetCndSearchPlanCommand : CndCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("D")]
    [ValidateRange(0, NonceHasher.MaxDifficulty)]
    public int Difficulty { get; set; }

    [Parameter]
    [Alias("L")]
    [ValidateConfidence]
    public double Confidence { get; set; } = SearchPlanner.DefaultConfidence;

    [Parameter]
    [Alias("T")]
    [TimeSpanSeconds]
    [ValidatePositive]
    public TimeSpan TimeLimit { get; set; } = SearchRequest.DefaultTimeLimit;

    [Parameter]
    [ValidatePositive]
    public double? HashRate { get; set; }

    [Parameter]
    [TimeSpanSeconds]
    [ValidatePositive(AllowZero = true)]
    public TimeSpan BootOverhead { get; set; } = TimeSpan.Zero;

    [Parameter]
    [Alias("N")]
    [ValidateRange(0, 100_000)]
    public int VMCount { get; set; }

    [Parameter]
    [Alias("MaxWorkers")]
    [ValidateRange(1, 100_000)]
    public int MaxVMCount { get; set; } = SearchPlanner.DefaultMaxWorkers;

    [Parameter]
    public uint NonceStart { get; set; }

    [Parameter]
    public uint NonceEnd { get; set; } = uint.MaxValue;

    private double _rate;

    protected override void BeginProcessing()
    {
        RequireNonceRange(NonceStart, NonceEnd);
        try
        {
            _rate = HashRate ?? MeasuredLocalRate();
        }
        catch (CndNativeException e)
        {
            ThrowTerminatingError(EngineError(e, null));
        }
    }

    protected override void ProcessRecord() => WriteObject(SearchPlanner.Plan(new PlanInputs
    {
        Difficulty = Difficulty,
        Confidence = Confidence,
        TimeLimit = TimeLimit,
        RatePerWorker = _rate,
        BootOverhead = BootOverhead,
        MaxWorkers = MaxVMCount,
        RangeSize = (ulong)NonceEnd - NonceStart + 1,
        Workers = VMCount,
    }));

    private double MeasuredLocalRate()
    {
        var kernel = NativeKernels.Best();
        var rate = LocalWorkerRate.PerThread(kernel);
        WriteVerbose($"No -HashRate: using one local thread of the {kernel} kernel, measured at {rate / 1e6:0.##} M nonces/s.");
        return rate;
    }
}
