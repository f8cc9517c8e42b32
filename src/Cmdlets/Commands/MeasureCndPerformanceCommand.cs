using CloudNonce.Engine.Performance;

namespace CloudNonce.Cmdlets.Commands;

/// <summary>Nonces per second of each native kernel on 1..all threads of this machine; with -Provider
/// EC2, of fleets of 1..N instances of each type (the original tool's -P), cached for later plans and
/// drawn as a scaling chart.</summary>
[Cmdlet(VerbsDiagnostic.Measure, "CndPerformance", DefaultParameterSetName = ParameterSets.Local)]
[OutputType(typeof(PerformanceSample), typeof(Ec2PerformanceSample))]
public sealed class MeasureCndPerformanceCommand : CndAwsCmdlet
{
    [Parameter(ParameterSetName = ParameterSets.Local, Position = 0)]
    [ProviderOnly(SearchProviderKind.Local)]
    [ValidateNotNullOrEmpty]
    [ValidateKernel]
    [ArgumentCompleter(typeof(KernelCompleter))]
    public string[]? Kernel { get; set; }

    [Parameter(ParameterSetName = ParameterSets.Local)]
    [ProviderOnly(SearchProviderKind.Local)]
    [ValidateNotNullOrEmpty]
    [ValidateInRange(1, NativeLimits.MaxThreads)]
    public int[]? Threads { get; set; }

    [Parameter(ParameterSetName = ParameterSets.Local)]
    [ProviderOnly(SearchProviderKind.Local)]
    [TimeSpanSeconds]
    [ValidatePositive]
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(1);

    [Parameter]
    // PowerShell completes an enum parameter with its names itself (and ignores an ArgumentCompleter).
    [ProviderName]
    public SearchProviderKind Provider { get; set; } = SearchProviderKind.Local;

    // The EC2 performance test's parameters, and the AWS ones from CndAwsCmdlet.
    private ParameterGroup<Ec2PerformanceParameters>? _fleet;

    private ParameterGroup<Ec2PerformanceParameters> FleetGroup => _fleet ??= new(Ec2ParameterSets);

    private Ec2PerformanceParameters Fleet => FleetGroup.Values;

    private protected override IEnumerable<IParameterGroup> ParameterGroups => [FleetGroup, .. base.ParameterGroups];

    protected override IReadOnlyList<string> Ec2ParameterSets => [ParameterSets.Ec2];

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
        var types = Fleet.InstanceType ?? [new Ec2Options().InstanceType];
        var counts = Fleet.VMCount ?? [1, 2, 4, 8];
        var session = ResolveSession();
        var options = AwsProviderOptions() with
        {
            Bucket = Fleet.Bucket, ImageId = Fleet.ImageId, SubnetId = Fleet.SubnetId, Spot = Fleet.Spot, PricePerHour = Fleet.PricePerHour, MaxInstances = counts.Max(),
        };
        var total = types.Length * counts.Distinct().Count();
        WriteVerbose($"EC2 performance test: {string.Join(", ", types)} on {string.Join(", ", counts.Distinct().Order())} instance(s), {Fleet.NonceCount:N0} nonces each, time limit {Fleet.TimeLimit.TotalSeconds:0.#} s.");
        // Filled on the pipeline thread, like everything the progress handler reads.
        var samples = new List<Ec2PerformanceSample>();
        try
        {
            RunOffPipeline((pump, token) => Task.Factory.StartNew(() =>
            {
                var status = pump.Progress<string>(text => WriteProgress(Progress(text, 100 * samples.Count / total)));
                var performance = new Ec2Performance(options) { Notes = pump.Progress<string>(WriteVerbose) };
                foreach (var sample in performance.Measure(types, counts, Fleet.NonceCount, Fleet.TimeLimit, status, token))
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
        if (Fleet.ChartPath is null) return;
        var path = GetUnresolvedProviderPathFromPSPath(Fleet.ChartPath);
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
