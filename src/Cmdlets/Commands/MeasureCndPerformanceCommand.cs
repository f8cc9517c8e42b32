using System.Management.Automation;
using CloudNonce.Cmdlets.Infrastructure;
using CloudNonce.Cmdlets.Parameters;
using CloudNonce.Engine.Native;
using CloudNonce.Engine.Performance;
using CloudNonce.Engine.Planning;
using CloudNonce.Engine.Providers.Ec2;
using CloudNonce.Engine.Providers;

namespace CloudNonce.Cmdlets.Commands;

/// <summary>Nonces per second of each native kernel on 1..all threads of this machine; with -Provider
/// EC2, of fleets of 1..N instances of each type (the original tool's -P), cached for later plans and
/// drawn as a scaling chart.</summary>
[Cmdlet(VerbsDiagnostic.Measure, "CndPerformance")]
[OutputType(typeof(PerformanceSample), typeof(Ec2PerformanceSample))]
public sealed class MeasureCndPerformanceCommand : CndAwsCmdlet
{
    [Parameter(Position = 0)]
    [ProviderOnly(SearchProviderKind.Local)]
    [ValidateNotNullOrEmpty]
    [ValidateKernel]
    [ArgumentCompleter(typeof(KernelCompleter))]
    public string[]? Kernel { get; set; }

    [Parameter]
    [ProviderOnly(SearchProviderKind.Local)]
    [ValidateNotNullOrEmpty]
    [ValidateInRange(1, NativeLimits.MaxThreads)]
    public int[]? Threads { get; set; }

    [Parameter]
    [ProviderOnly(SearchProviderKind.Local)]
    [TimeSpanSeconds]
    [ValidatePositive]
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(1);

    [Parameter]
    // PowerShell completes an enum parameter with its names itself (and ignores an ArgumentCompleter).
    [ProviderName]
    public SearchProviderKind Provider { get; set; } = SearchProviderKind.Local;

    // The EC2 performance test: every type at every fleet size sweeps the same -NonceCount nonces.
    [Parameter] [ProviderOnly(SearchProviderKind.EC2)] [ValidateNotNullOrEmpty] public string[]? InstanceType { get; set; }
    [Parameter] [ProviderOnly(SearchProviderKind.EC2)] [ValidateNotNullOrEmpty] [ValidateInRange(1, SearchPlanner.LargestWorkerCount)] public int[]? VMCount { get; set; }
    [Parameter] [ProviderOnly(SearchProviderKind.EC2)] [ValidateRange(1UL, 1UL << 32)] public ulong NonceCount { get; set; } = 1UL << 32;
    [Parameter] [ProviderOnly(SearchProviderKind.EC2)] [TimeSpanSeconds] [ValidatePositive] public TimeSpan TimeLimit { get; set; } = TimeSpan.FromSeconds(900);
    [Parameter] [ProviderOnly(SearchProviderKind.EC2)] [ValidateNotNullOrEmpty] public string? ChartPath { get; set; }
    [Parameter] [ProviderOnly(SearchProviderKind.EC2)] [ValidateNotNullOrEmpty] public string? Bucket { get; set; }
    [Parameter] [ProviderOnly(SearchProviderKind.EC2)] [ValidateNotNullOrEmpty] public string? ImageId { get; set; }
    [Parameter] [ProviderOnly(SearchProviderKind.EC2)] [ValidateSubnetId] public string? SubnetId { get; set; }
    [Parameter] [ProviderOnly(SearchProviderKind.EC2)] public SwitchParameter Spot { get; set; }
    [Parameter] [ProviderOnly(SearchProviderKind.EC2)] [ValidateRange(0.0, Ec2Options.MaxPricePerHour)] public double? PricePerHour { get; set; }

    private const int ActivityId = 1;
    private const string Activity = "Measure-CndPerformance";
    private bool IsEc2 => Provider == SearchProviderKind.EC2;

    private static ProgressRecord Progress(string status, int percent) => new(ActivityId, Activity, status) { PercentComplete = percent };

    protected override void BeginProcessing()
    {
        RequireParametersFor(Provider);
    }

    protected override void EndProcessing()
    {
        if (IsEc2) MeasureEc2();
        else MeasureLocal();
    }

    private void MeasureEc2()
    {
        var types = InstanceType ?? [new Ec2Options().InstanceType];
        var counts = VMCount ?? [1, 2, 4, 8];
        var session = ResolveSession();
        var options = AwsProviderOptions() with
        {
            Bucket = Bucket, ImageId = ImageId, SubnetId = SubnetId, Spot = Spot, PricePerHour = PricePerHour, MaxInstances = counts.Max(),
        };
        var total = types.Length * counts.Distinct().Count();
        WriteVerbose($"EC2 performance test: {string.Join(", ", types)} on {string.Join(", ", counts.Distinct().Order())} instance(s), {NonceCount:N0} nonces each, time limit {TimeLimit.TotalSeconds:0.#} s.");
        // Filled on the pipeline thread, like everything the progress handler reads.
        var samples = new List<Ec2PerformanceSample>();
        try
        {
            RunOffPipeline((pump, token) => Task.Factory.StartNew(() =>
            {
                var status = pump.Progress<string>(text => WriteProgress(Progress(text, 100 * samples.Count / total)));
                var performance = new Ec2Performance(options) { Notes = pump.Progress<string>(WriteVerbose) };
                foreach (var sample in performance.Measure(types, counts, NonceCount, TimeLimit, status, token))
                {
                    pump.Post(() =>
                    {
                        samples.Add(sample);
                        WriteObject(sample);
                    });
                }
                return 0;
            }, token, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        }
        catch (Exception e) when (e is not PipelineStoppedException and not OperationCanceledException)
        {
            ThrowTerminatingError(FailureError(e, types));
        }
        catch (OperationCanceledException) when (Stopping)
        {
            return;
        }
        finally
        {
            if (!Stopping) WriteProgress(new ProgressRecord(ActivityId, Activity, "done") { RecordType = ProgressRecordType.Completed });
        }
        Keep(samples, session.Location);
    }

    /// <summary>Caches the measured rates for Get-CndSearchPlan and Start-CndSearch, and draws the chart.</summary>
    private void Keep(IReadOnlyList<Ec2PerformanceSample> samples, string where)
    {
        if (samples.Count == 0) return;
        var cache = Ec2RateCache.Default;
        Ec2Performance.Remember(cache, samples, where, DateTimeOffset.UtcNow);
        WriteVerbose($"Measured rates of {string.Join(", ", samples.Select(s => s.InstanceType).Distinct())} saved in {cache.Path}; plans use them from now on.");
        if (ChartPath is null) return;
        var path = GetUnresolvedProviderPathFromPSPath(ChartPath);
        try
        {
            ScalingChart.Save(samples, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TypeInitializationException or DllNotFoundException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "ChartNotWritten", ErrorCategory.WriteError, path));
        }
        WriteVerbose($"Scaling chart written to {path}.");
    }

    private void MeasureLocal()
    {
        try
        {
            var kernels = (Kernel ?? NativeKernels.Available().ToArray()).Select(NativeKernels.Resolve).Distinct().ToArray();
            var threads = Threads ?? Enumerable.Range(1, NativeKernels.OnlineCores()).ToArray();
            WriteVerbose($"Measuring kernels {string.Join(", ", kernels)} on {string.Join(", ", threads)} thread(s), {Duration.TotalSeconds:0.###} s each.");
            var total = kernels.Length * threads.Length;
            WriteProgress(Progress($"0 of {total} measured", 0));
            RunOffPipeline((pump, token) => Task.Factory.StartNew(() =>
            {
                var done = 0;
                foreach (var sample in LocalPerformance.Measure(kernels, threads, Duration, token))
                {
                    var measured = ++done;
                    pump.Post(() =>
                    {
                        WriteProgress(Progress($"{measured} of {total} measured", 100 * measured / total));
                        WriteObject(sample);
                    });
                }
                return done;
            }, token, TaskCreationOptions.LongRunning, TaskScheduler.Default));
            WriteProgress(new ProgressRecord(ActivityId, Activity, "done") { RecordType = ProgressRecordType.Completed });
        }
        catch (OperationCanceledException) when (Stopping)
        {
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            ThrowTerminatingError(EngineError(e, Kernel));
        }
    }
}
