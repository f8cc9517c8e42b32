namespace CloudNonce.Cmdlets.Commands;

/// <summary>Searches a block's nonce range for the lowest golden nonce, locally or on EC2.</summary>
[Cmdlet(VerbsLifecycle.Start, "CndSearch", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.TextLocal)]
[OutputType(typeof(CndSearchResult))]
[OutputType(typeof(CndSearchJob))]
public sealed class StartCndSearchCommand : SearchCommandBase
{
    // Six shapes: the block as text (-Block, the default), bytes or hex, each on either provider.
    [Parameter(ParameterSetName = ParameterSets.TextLocal, Position = 0, ValueFromPipeline = true)]
    [Parameter(ParameterSetName = ParameterSets.TextEc2, Position = 0, ValueFromPipeline = true)]
    [ValidateBlock]
    public string Block { get; set; } = BlockInput.DefaultText;

    [Parameter(ParameterSetName = ParameterSets.BytesLocal, Mandatory = true)]
    [Parameter(ParameterSetName = ParameterSets.BytesEc2, Mandatory = true)]
    [ValidateBlock]
    public byte[]? BlockBytes { get; set; }

    [Parameter(ParameterSetName = ParameterSets.HexLocal, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = ParameterSets.HexEc2, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateHex]
    public string? BlockHex { get; set; }

    [Parameter(Mandatory = true)]
    [Alias("D")]
    [ValidateRange(0, NonceHasher.MaxDifficulty)]
    public int Difficulty { get; set; }

    /// <summary>With the block as text, optional in both shapes: Local is the default set, and an EC2-only
    /// parameter without -Provider EC2 gets the error that says so. With bytes or hex, only the EC2 shapes
    /// take it, mandatory: PowerShell tells sets apart by names given, never by a value, so a -Provider in
    /// both would leave `-BlockHex 00 -Provider EC2` between two sets.</summary>
    [Parameter(ParameterSetName = ParameterSets.TextLocal)]
    [Parameter(ParameterSetName = ParameterSets.TextEc2)]
    [Parameter(ParameterSetName = ParameterSets.BytesEc2, Mandatory = true)]
    [Parameter(ParameterSetName = ParameterSets.HexEc2, Mandatory = true)]
    // PowerShell completes an enum parameter with its names itself (and ignores an ArgumentCompleter).
    [ProviderName]
    public override SearchProviderKind Provider { get; set; } = SearchProviderKind.Local;

    // The search parameters both search cmdlets take come from SearchCommandBase; the AWS ones from
    // CndAwsCmdlet, shared with the EC2 cmdlets; -Threads and -Kernel from LocalSearchParameters, -Bucket,
    // -ImageId and -SpotFallback from Ec2LaunchParameters.
    private ParameterGroup<LocalSearchParameters>? _local;
    private ParameterGroup<Ec2LaunchParameters>? _launch;

    private ParameterGroup<LocalSearchParameters> LocalGroup => _local ??= new([ParameterSets.TextLocal, ParameterSets.BytesLocal, ParameterSets.HexLocal]);
    private ParameterGroup<Ec2LaunchParameters> LaunchGroup => _launch ??= new(Ec2ParameterSets);

    private int? Threads => LocalGroup.Values.Threads;
    private string Kernel => LocalGroup.Values.Kernel;
    private Ec2LaunchParameters Launch => LaunchGroup.Values;

    private protected override IEnumerable<IParameterGroup> ParameterGroups => [LocalGroup, LaunchGroup, .. base.ParameterGroups];

    protected override IReadOnlyList<string> Ec2ParameterSets => [ParameterSets.TextEc2, ParameterSets.BytesEc2, ParameterSets.HexEc2];

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
        if (Launch.SpotFallback && !Ec2.Spot)
        {
            ThrowTerminatingError(ParameterConflict("SpotFallbackNeedsSpot",
                "-SpotFallback says what to do when a spot request cannot be met: add -Spot.", Launch.SpotFallback));
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
        var block = BlockInput.ToBytes(Block, BlockBytes, BlockHex);
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

    private Ec2Options Ec2Settings() => Ec2PlanningOptions() with { Bucket = Launch.Bucket, ImageId = Launch.ImageId, SpotFallback = Launch.SpotFallback };

    protected override void Dispose(bool disposing)
    {
        if (disposing) (_provider as IDisposable)?.Dispose();
        base.Dispose(disposing);
    }
}
