using CloudNonce.Engine.Aws;
using CloudNonce.Engine.Hashing;
using CloudNonce.Engine.Planning;
using CloudNonce.Engine.Pricing;
using CloudNonce.Engine.Search;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Runs a search on a fleet of EC2 instances that fetch cnd-scan from the module bucket and
/// report through presigned S3 URLs (worker/PROTOCOL.md). Every instance of the search is terminated
/// when this returns or throws; instances also power themselves off at the time limit plus a margin,
/// so even a controller that dies leaves nothing running for long.
/// When several workers report golden nonces in the same poll the lowest of them is returned; across
/// polls the first verified one wins (EC2 searches do not promise the lowest nonce of the range).</summary>
public sealed class Ec2SearchProvider(Ec2Options options) : ISearchProvider, IPlannableProvider
{
    /// <summary>SigV4 presigned URLs live at most 7 days; the workers' URLs must outlive the search's
    /// power-off (time limit + at most a minute of margin) by the minute they are signed beyond it.</summary>
    public static readonly TimeSpan MaxTimeLimit = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(2);

    /// <summary>How long the workers' URLs are signed for beyond the search's power-off.</summary>
    public static readonly TimeSpan PresignMargin = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan TerminateTimeout = TimeSpan.FromSeconds(60);
    /// <summary>How long the end of a search waits for its instances to let go of the security group.</summary>
    private static readonly TimeSpan GroupReleaseWait = TimeSpan.FromSeconds(10);

    public SearchProviderKind Kind => SearchProviderKind.EC2;
    public Ec2Options Options { get; } = options;

    public UnitProfile DescribeUnit(SearchRequest request)
    {
        CheckTimeLimit(request.TimeLimit);
        var rate = Options.RateFor(Options.InstanceType);
        return new UnitProfile(PlanUnit.Instance, rate.NoncesPerSecond, rate.BootOverhead, Options.MaxInstances, 0,
            $"one {rate.InstanceType} instance ({rate.Source})");
    }

    /// <summary>Refuses a time limit the workers' presigned URLs cannot outlive, before anything is created.</summary>
    public static void CheckTimeLimit(TimeSpan timeLimit)
    {
        if (timeLimit > MaxTimeLimit)
            throw new ArgumentOutOfRangeException("TimeLimit", timeLimit,
                $"An EC2 search's -TimeLimit can be at most {MaxTimeLimit:d\\d\\ hh\\h\\ mm\\m} ({MaxTimeLimit.TotalSeconds:0} s): the workers report " +
                "through presigned S3 URLs, which live at most 7 days (SigV4), and those must outlive the search's power-off.");
    }

    /// <summary>The plan of a search before anything is launched: the instance type (chosen from
    /// <see cref="Ec2Options.InstanceTypeChoices"/> when given), the worker count (within -MaxCost), the
    /// cost at the region's prices (spot prices read live from EC2), and the warnings it deserves.</summary>
    public async Task<SearchPlan> PlanAsync(SearchRequest request, CancellationToken cancellationToken) =>
        (await PlanWithPricesAsync(request, cancellationToken)).Plan;

    /// <summary>A provider for the instance type a plan chose, with that type's measured rate if cached.</summary>
    public Ec2SearchProvider WithChoice(SearchPlan plan)
    {
        var type = plan.InstanceType ?? Options.InstanceType;
        return new Ec2SearchProvider(Options with
        {
            InstanceType = type,
            InstanceTypeChoices = null,
            MeasuredRate = Options.RateCache?.Find(type, out _)
                ?? (Options.MeasuredRate is { } given && string.Equals(given.InstanceType, type, StringComparison.OrdinalIgnoreCase) ? given : null),
        });
    }

    private async Task<(SearchPlan Plan, Ec2PlanBuilder Builder)> PlanWithPricesAsync(SearchRequest request, CancellationToken ct)
    {
        CheckTimeLimit(request.TimeLimit);
        var region = AwsSession.RegionOf(Options.Aws);
        var candidates = CandidateTypes(region);
        var spot = Options.Spot && Options.PricePerHour is null && region is not null
            ? await LookUpSpotPricesAsync(region, candidates, ct)
            : new Dictionary<string, PriceQuote>();
        var builder = new Ec2PlanBuilder(Options, region, spot);
        var plan = Options.InstanceTypeChoices is null
            ? builder.Plan(request, Options.RateFor(Options.InstanceType))
            : InstanceTypeChooser.Choose(candidates, request, builder, type => Options.RateCache?.Find(type, out _));
        return (builder.Advise(plan), builder);
    }

    /// <summary>The types a plan considers: the one named, or the choices, where Auto stands for every
    /// type the price table lists in the region (or in any region, when it lacks this one) whose rate
    /// is documented or measured.</summary>
    private IReadOnlyList<string> CandidateTypes(string? region)
    {
        if (Options.InstanceTypeChoices is not { } choices) return [Options.InstanceType];
        var table = PriceTable.Default;
        var listed = table.For(region)?.InstanceTypes ?? table.Regions.SelectMany(r => table.For(r)!.InstanceTypes);
        var auto = listed.Where(t => InstanceTypeRates.Documents(t) || Options.RateCache?.Find(t, out _) is not null);
        return choices.SelectMany(c => string.Equals(c, Ec2Options.AutoInstanceType, StringComparison.OrdinalIgnoreCase) ? auto : [c])
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private async Task<IReadOnlyDictionary<string, PriceQuote>> LookUpSpotPricesAsync(string region, IReadOnlyList<string> types, CancellationToken ct)
    {
        try
        {
            using var ec2 = AwsSession.Resolve(Options.Aws).Ec2();
            return await SpotPriceLookup.CurrentAsync(ec2, region, types, Options.Clock.GetUtcNow(), ct);
        }
        catch (AwsConfigurationException e)
        {
            return types.ToDictionary(t => t, _ => PriceQuote.Unknown($"the spot price could not be read ({e.Message}): pass -PricePerHour"), StringComparer.OrdinalIgnoreCase);
        }
    }

    public async Task<CndSearchResult> RunAsync(SearchRequest request, IProgress<SearchProgress>? progress, CancellationToken cancellationToken)
    {
        request.Events.Started(request, Kind.ToString());
        try
        {
            var result = await SearchAsync(request, progress, cancellationToken);
            request.Events.Ended(result);
            return result;
        }
        catch (Exception e)
        {
            request.Events.Failed(request, e);
            throw;
        }
    }

    private async Task<CndSearchResult> SearchAsync(SearchRequest request, IProgress<SearchProgress>? progress, CancellationToken cancellationToken)
    {
        if (Options.InstanceTypeChoices is not null)
        {
            var chosen = await PlanAsync(request, cancellationToken);
            return await WithChoice(chosen).SearchAsync(request with { Units = chosen.Units }, progress, cancellationToken);
        }
        var (plan, prices) = await ChoosePlanAsync(request, cancellationToken);
        var reporting = Options.ReportingFor(request.TimeLimit);
        var book = new SlotBook(SlotRange.Split(request.NonceStart, request.NonceEnd, plan.Units), Options.MaxAttemptsPerSlot, Options.Spot);
        var state = new Ec2RunState(request, book, progress) { PlannedProbability = plan.Probability };
        state.Event("plan", new
        {
            instances = plan.Units,
            plan.Probability,
            Options.InstanceType,
            Options.Spot,
            progressIntervalSeconds = reporting.ProgressInterval.TotalSeconds,
            pollIntervalSeconds = reporting.PollInterval.TotalSeconds,
            silenceTimeoutSeconds = reporting.SilenceTimeout.TotalSeconds,
            plan.Explanation,
        });
        var userData = WorkerUserData.Embedded();
        var session = AwsSession.Resolve(Options.Aws).WithLocalClock(Options.Clock);
        state.Clock = session.Clock;

        using var ec2 = session.Ec2();
        using var s3 = session.S3();
        WorkerFleet? fleet = null;
        string? securityGroup = null;
        var shutdownAt = DateTimeOffset.MaxValue;
        Ec2RunOutcome outcome;
        try
        {
            state.Report("checking the account, instance type, AMI and network");
            // Resolved first: an SSO sign-in that is missing or expired fails here with what to run.
            var credentials = await session.CredentialLifetimeAsync(cancellationToken);
            // The first responses set the session's clock to AWS's time: deadlines are taken after them.
            var target = await Ec2Preflight.CheckAsync(session, Options, ec2, cancellationToken);
            state.Note("Workers' network: " + target.Network.Explanation);
            var scannerFiles = WorkerScanners.Locate([target], Options.ResolvedScannerPath);
            state.Note($"Workers: {target.InstanceType} ({target.Architecture}) on image {target.ImageId}, scanner {scannerFiles[target.Architecture]}");
            var deadline = state.Now + request.TimeLimit - state.Elapsed.Elapsed;
            shutdownAt = deadline + Options.ShutdownMarginFor(request.TimeLimit);
            CheckCredentialLifetime(credentials, shutdownAt, state);
            var meter = new CostMeter(prices.PricesFor(target.InstanceType), reporting.ProgressInterval, reporting.PollInterval);
            state.Meter = meter;
            if (meter.Prices.For(Options.Spot).Missing is { } noPrice)
                state.Warn($"The cost of this search cannot be estimated: {noPrice}.");
            var bucket = new ModuleBucket(s3, Options.Bucket ?? ModuleBucket.DefaultName(target.AccountId, session.Region), session.Region,
                session.S3UsesHttp, target.AccountId);
            state.Report($"preparing bucket {bucket.Name}");
            await bucket.EnsureAsync(cancellationToken);
            var scanners = await WorkerScanners.UploadAsync(bucket, scannerFiles, cancellationToken);
            await SweepIdleGroupsAsync(ec2, state, cancellationToken);
            fleet = new WorkerFleet(ec2, request.SearchId, bucket.Name);
            securityGroup = await fleet.CreateSecurityGroupAsync(target.Network.VpcId, shutdownAt, cancellationToken);
            var bootOverhead = Options.RateFor(target.InstanceType, target.VCpus).BootOverhead;
            var run = new Ec2SearchRun(new Ec2RunContext
            {
                Target = target,
                Bucket = bucket,
                Fleet = fleet,
                UserData = userData,
                Scanners = scanners,
                SecurityGroupId = securityGroup,
                Deadline = deadline,
                ShutdownAt = shutdownAt,
                PollInterval = reporting.PollInterval,
                ProgressInterval = reporting.ProgressInterval,
                RelaunchWindow = bootOverhead,
                BootTimeout = Options.BootTimeoutFor(bootOverhead),
                SilenceTimeout = reporting.SilenceTimeout,
                Backoff = new LaunchBackoff(Options.LaunchRetryInitial, Options.LaunchRetryMaximum),
                SpotFallback = Options.SpotFallback,
                Unit = DescribeUnit(request),
                Budget = Options.MaxCost is { } cap ? new BudgetGuard(cap, meter) : null,
            }, state);
            outcome = await run.RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = new Ec2RunOutcome(StopReason.Cancelled);
        }
        finally
        {
            state.Stop();
            if (fleet is not null)
                await EndFleetAsync(fleet, securityGroup, state, shutdownAt);
        }
        return Ec2ResultBuilder.Build(state, outcome.Reason, outcome.Golden);
    }

    private async Task<(SearchPlan Plan, Ec2PlanBuilder Prices)> ChoosePlanAsync(SearchRequest request, CancellationToken ct)
    {
        if (request.Units > Options.MaxInstances)
            throw new ArgumentOutOfRangeException(nameof(request), request.Units,
                $"{request.Units} EC2 workers were asked for; the maximum is {Options.MaxInstances} (-MaxVMCount).");
        var (plan, prices) = await PlanWithPricesAsync(request, ct);
        if (plan.Refusal is { } refusal)
            throw new InvalidOperationException(refusal);
        if (request.Units == 0 && !plan.Reachable)
            throw new InvalidOperationException(plan.Explanation);
        return (plan, prices);
    }

    /// <summary>Presigned URLs stop working when the credentials that signed them expire, whatever their
    /// own expiry: the workers' URLs must outlive the search's power-off, or workers go silent mid-scan.
    /// Known to end too soon: refused before anything exists. Temporary with no known end: a warning.</summary>
    private static void CheckCredentialLifetime(CredentialLifetime lifetime, DateTimeOffset shutdownAt, Ec2RunState state)
    {
        var needed = shutdownAt + PresignMargin;
        if (lifetime.ExpiresBefore(needed))
        {
            var longest = state.Request.TimeLimit - (needed - lifetime.ExpiresAt!.Value);
            var shorter = longest > TimeSpan.Zero ? $", or pass a -TimeLimit of at most {Math.Floor(longest.TotalSeconds):0} s" : "";
            throw new AwsConfigurationException(
                $"The AWS credentials ({lifetime.Source}) expire at {lifetime.ExpiresAt:u}, before the search's workers stop reporting at {needed:u}: " +
                "the workers report through presigned URLs, which stop working when the credentials that signed them expire. " +
                $"Renew the credentials for a longer session (aws sso login, a longer role session) or use long-term ones{shorter}.");
        }
        if (lifetime.IsTemporary && lifetime.ExpiresAt is null)
            state.Warn($"The AWS credentials are temporary ({lifetime.Source}) and their expiry is unknown: if they expire before {needed:u}, " +
                       "the workers' presigned URLs stop working with them and the workers fall silent (set AWS_CREDENTIAL_EXPIRATION to have this checked).");
    }

    /// <summary>One group per search would reach the region's quota: groups of earlier searches that
    /// ended before their instances let go of them are removed here. Best effort.</summary>
    private static async Task SweepIdleGroupsAsync(Amazon.EC2.IAmazonEC2 ec2, Ec2RunState state, CancellationToken ct)
    {
        try
        {
            var deleted = await ModuleSecurityGroups.SweepIdleAsync(ec2, state.Now, ct);
            if (deleted.Count > 0)
                state.Report($"removed {deleted.Count} security group(s) of earlier searches: {string.Join(", ", deleted)}");
        }
        catch (Amazon.EC2.AmazonEC2Exception e)
        {
            state.Report($"could not look for idle security groups of earlier searches: {e.ErrorCode}");
        }
    }

    /// <summary>Terminates the fleet and releases its group. Trouble doing so never replaces the
    /// search's result or error: it becomes a warning on the result (and the instances' scheduled
    /// power-off still ends them).</summary>
    private static async Task EndFleetAsync(WorkerFleet fleet, string? securityGroup, Ec2RunState state, DateTimeOffset shutdownAt)
    {
        state.Report("terminating the workers");
        state.Event("terminate", new { instances = state.Ledger.MayBeAlive });
        var cleanup = await fleet.TerminateAllAsync(state.Ledger, TerminateTimeout);
        if (cleanup.Problem is not null)
            state.Warn($"Could not confirm that instance(s) {string.Join(", ", cleanup.Unconfirmed)} were terminated: {cleanup.Problem}. " +
                       $"They power themselves off by {shutdownAt:u}; check with Get-CndFleet, end them with Remove-CndResources.");
        if (securityGroup is not null)
        {
            state.Report($"deleting security group {securityGroup}");
            if (!await fleet.ReleaseSecurityGroupAsync(securityGroup, GroupReleaseWait))
                state.Report($"security group {securityGroup} is still held by terminating instances; the next search (or Remove-CndResources) removes it");
        }
    }
}
