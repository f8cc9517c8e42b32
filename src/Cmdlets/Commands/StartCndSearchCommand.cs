using System.Management.Automation;
using CloudNonce.Cmdlets.Infrastructure;
using CloudNonce.Cmdlets.Parameters;
using CloudNonce.Engine.Hashing;
using CloudNonce.Engine.Native;
using CloudNonce.Engine.Planning;
using CloudNonce.Engine.Providers;
using CloudNonce.Engine.Providers.Ec2;
using CloudNonce.Engine.Providers.Local;
using CloudNonce.Engine.Search;

namespace CloudNonce.Cmdlets.Commands;

/// <summary>Searches a block's nonce range for the lowest golden nonce, locally or on EC2.</summary>
[Cmdlet(VerbsLifecycle.Start, "CndSearch", SupportsShouldProcess = true, DefaultParameterSetName = BlockInput.Text)]
[OutputType(typeof(CndSearchResult))]
[OutputType(typeof(CndSearchJob))]
public sealed class StartCndSearchCommand : SearchCommandBase
{
    [Parameter(ParameterSetName = BlockInput.Text, Position = 0, ValueFromPipeline = true)]
    [ValidateBlock]
    public string Block { get; set; } = BlockInput.DefaultText;

    [Parameter(ParameterSetName = BlockInput.Bytes, Mandatory = true)]
    [ValidateBlock]
    public byte[]? BlockBytes { get; set; }

    [Parameter(ParameterSetName = BlockInput.Hex, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateHex]
    public string? BlockHex { get; set; }

    [Parameter(Mandatory = true)]
    [Alias("D")]
    [ValidateRange(0, NonceHasher.MaxDifficulty)]
    public int Difficulty { get; set; }

    [Parameter]
    [ProviderOnly(SearchProviderKind.Local, Instead = "With -Provider EC2, set the worker count with -VMCount.")]
    [ValidateInRange(1, NativeLimits.MaxThreads)]
    public int? Threads { get; set; }

    [Parameter]
    [ValidateKernel]
    [ArgumentCompleter(typeof(KernelCompleter))]
    public string Kernel { get; set; } = Engine.Native.NativeKernels.Auto;

    // The search parameters both search cmdlets take come from SearchCommandBase; -Region,
    // -ProfileName and -EndpointUrl from CndAwsCmdlet, shared with the EC2 cmdlets.
    [Parameter] [ProviderOnly(SearchProviderKind.EC2)] [ValidateNotNullOrEmpty] public string? Bucket { get; set; }
    [Parameter] [ProviderOnly(SearchProviderKind.EC2)] [ValidateNotNullOrEmpty] public string? ImageId { get; set; }
    [Parameter] [ProviderOnly(SearchProviderKind.EC2)] public SwitchParameter SpotFallback { get; set; }

    /// <summary>Returns a CndSearchJob at once; the search runs on a background thread of this session.</summary>
    [Parameter] public SwitchParameter AsJob { get; set; }

    /// <summary>Appends the search's events to this file as JSON lines (SearchEventLog).</summary>
    [Parameter] [ValidateNotNullOrEmpty] public string? LogPath { get; set; }

    private ISearchProvider? _provider;

    protected override void BeginProcessing()
    {
        RequireNonceRange(NonceStart, NonceEnd);
        // Locally -VMCount is a thread count and -MaxVMCount does not apply.
        if (!IsLocal) RequireVMCountWithinMaximum(VMCount, MaxVMCount);
        RequireParametersFor(Provider);
        if (IsLocal && Threads is null && VMCount > NativeLimits.MaxThreads)
        {
            // Locally -VMCount is the thread count, and the native core would cut it without a word.
            ThrowTerminatingError(ParameterConflict("VMCountAboveThreadMaximum",
                $"-VMCount {VMCount} asks -Provider {SearchProviderKind.Local} for {VMCount} hashing threads; the valid range is 1..{NativeLimits.MaxThreads}.", VMCount));
        }
        if (SpotFallback && !Spot)
        {
            ThrowTerminatingError(ParameterConflict("SpotFallbackNeedsSpot",
                "-SpotFallback says what to do when a spot request cannot be met: add -Spot.", SpotFallback));
        }
        _provider = CreateProvider();
    }

    private ISearchProvider CreateProvider()
    {
        try
        {
            return SearchProviderFactory.Create(Provider, IsLocal ? null : Ec2Settings());
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            ThrowTerminatingError(EngineError(e, Provider));
            throw; // not reached: ThrowTerminatingError always throws
        }
    }

    protected override void ProcessRecord()
    {
        var block = BlockInput.ToBytes(ParameterSetName, Block, BlockBytes, BlockHex);
        var request = new SearchRequest
        {
            Block = block,
            Difficulty = Difficulty,
            NonceStart = NonceStart,
            NonceEnd = NonceEnd,
            TimeLimit = TimeLimit,
            Units = Threads ?? VMCount,
            Confidence = Confidence,
            Kernel = Kernel,
        };
        var target = $"block {BlockInput.Describe(block)}, nonces {NonceStart}..{NonceEnd}";
        try
        {
            var plan = _provider is Ec2SearchProvider ec2
                ? RunOffPipeline((_, token) => ec2.PlanAsync(request, token))
                : SearchPlanner.PlanFor(_provider!, request);
            foreach (var warning in plan?.Warnings ?? []) WriteWarning(warning);
            // With -Verbose, ShouldProcess also prints this: it is what the engine decided.
            if (!ShouldProcess(target, $"Search {request.SearchId} for a golden nonce at D = {Difficulty} on {_provider!.Kind}: {Describe(plan)}")) return;
            if (plan is { Refusal: { } refusal })
            {
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(refusal), "PlanRefused", ErrorCategory.InvalidArgument, plan));
            }
            if (plan is { Reachable: false })
            {
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(plan.Explanation), "PlanUnreachable", ErrorCategory.InvalidOperation, plan));
            }
            var provider = _provider!;
            if (plan?.InstanceChoice is { } choice && provider is Ec2SearchProvider choosing)
            {
                WriteVerbose($"Instance type: {choice}");
                provider = choosing.WithChoice(plan);
            }
            if (plan is not null) request = request with { Units = plan.Units };
            // Says in -Verbose where region and credentials come from, and stops on a missing one before
            // the provider starts (the provider resolves the same settings again for its own clients).
            if (!IsLocal) ResolveSession();
            var log = OpenLog();
            if (log is not null) request = request with { Events = log };
            if (AsJob) WriteObject(StartJob(request, provider, log));
            else using (log) WriteObject(Search(request, provider));
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            ThrowTerminatingError(FailureError(e, target));
        }
    }

    private CndSearchResult Search(SearchRequest request, ISearchProvider provider)
    {
        var progress = new SearchProgressRecords(request.SearchId.GetHashCode() & int.MaxValue, $"Start-CndSearch {request.SearchId}", request.TimeLimit);
        try
        {
            var result = RunOffPipeline((pump, token) =>
                provider.RunAsync(request, pump.Progress<SearchProgress>(p =>
                {
                    if (p.Note is { } note) WriteVerbose(note);
                    WriteProgress(progress.For(p));
                }), token));
            foreach (var line in SearchResultNotes.Warnings(result)) WriteWarning(line);
            foreach (var line in SearchResultNotes.Verbose(result)) WriteVerbose(line);
            return result;
        }
        finally
        {
            if (!Stopping) WriteProgress(progress.Completed());
        }
    }

    /// <summary>The -LogPath file, opened for appending (one search after another may share it); null without -LogPath.</summary>
    private SearchEventLog? OpenLog()
    {
        if (LogPath is null) return null;
        var path = GetUnresolvedProviderPathFromPSPath(LogPath);
        try
        {
            return SearchEventLog.Append(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            ThrowTerminatingError(new ErrorRecord(new IOException($"-LogPath '{path}' cannot be written: {e.Message}", e), "LogPathNotWritable", ErrorCategory.WriteError, LogPath));
            throw; // not reached: ThrowTerminatingError always throws
        }
    }


    /// <summary>The search as a job registered with the session, so Get-Job and the other job cmdlets
    /// see it. Each job gets its own provider: the job outlives this command.</summary>
    private CndSearchJob StartJob(SearchRequest request, ISearchProvider planned, SearchEventLog? log)
    {
        // An EC2 provider holds no resources, and holds the plan's choice of instance type.
        var provider = planned is Ec2SearchProvider ? planned : CreateProvider();
        var job = new CndSearchJob(MyInvocation.Line.Trim(), request.SearchId);
        var records = new SearchProgressRecords(request.SearchId.GetHashCode() & int.MaxValue, $"Start-CndSearch {request.SearchId}", request.TimeLimit);
        JobRepository.Add(job);
        job.Start(async (progress, token) =>
        {
            using (log) return await provider.RunAsync(request, progress, token);
        }, records);
        return job;
    }

    private static string Describe(SearchPlan? plan)
    {
        if (plan is null) return "the provider chooses its workers itself.";
        var text = $"each worker is {plan.Unit}; {plan.Explanation}";
        if (plan.InstanceChoice is { } choice) text += $" Instance type: {choice}";
        if (plan.CostBreakdown is { } cost) text += $" Estimated cost: {cost}.";
        if (plan.Refusal is { } refusal) text += $" Refused: {refusal}";
        foreach (var warning in plan.Warnings) text += $" WARNING: {warning}";
        return text;
    }

    private Ec2Options Ec2Settings() => Ec2PlanningOptions() with { Bucket = Bucket, ImageId = ImageId, SpotFallback = SpotFallback };

    protected override void Dispose(bool disposing)
    {
        if (disposing) (_provider as IDisposable)?.Dispose();
        base.Dispose(disposing);
    }
}
