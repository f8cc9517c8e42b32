using System.Management.Automation;
using CloudNonce.Cmdlets.Infrastructure;
using CloudNonce.Cmdlets.Parameters;
using CloudNonce.Engine.Native;
using CloudNonce.Engine.Performance;

namespace CloudNonce.Cmdlets.Commands;

/// <summary>Nonces per second of each native kernel on 1..all threads of this machine.</summary>
[Cmdlet(VerbsDiagnostic.Measure, "CndPerformance")]
[OutputType(typeof(PerformanceSample))]
public sealed class MeasureCndPerformanceCommand : CndCmdlet
{
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [ValidateKernel]
    [ArgumentCompleter(typeof(KernelCompleter))]
    public string[]? Kernel { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateRange(1, 4096)]
    public int[]? Threads { get; set; }

    [Parameter]
    [TimeSpanSeconds]
    [ValidatePositive]
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(1);

    private const int ActivityId = 1;
    private const string Activity = "Measure-CndPerformance";

    private static ProgressRecord Progress(string status, int percent) => new(ActivityId, Activity, status) { PercentComplete = percent };

    protected override void EndProcessing()
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
