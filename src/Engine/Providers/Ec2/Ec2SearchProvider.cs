using System.Diagnostics;
using System.Security.Cryptography;
using CloudNonce.Engine.Aws;
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
    private static readonly TimeSpan TerminateTimeout = TimeSpan.FromSeconds(60);

    public string Name => "EC2";
    public Ec2Options Options { get; } = options;

    public WorkerProfile DescribeWorkers(SearchRequest request)
    {
        var rate = Options.RateFor(Options.InstanceType);
        return new WorkerProfile(rate.NoncesPerSecond, rate.BootOverhead, Options.MaxWorkers, 0,
            $"one {rate.InstanceType} instance ({rate.Source})");
    }

    /// <summary>What a plan costs before launch: each worker bills until the range is swept or the
    /// time limit ends it, at the table's price for the market (or -PricePerHour).</summary>
    public CostEstimate EstimateCost(SearchPlan plan) =>
        Ec2Billing.Estimate(Options.InstanceType, plan.Workers, plan.CoversRange && plan.SweepTime < plan.TimeLimit ? plan.SweepTime : plan.TimeLimit,
            Options.Spot, Options.PricePerHour);

    public async Task<CndSearchResult> RunAsync(SearchRequest request, IProgress<SearchProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var deadline = DateTimeOffset.UtcNow + request.TimeLimit;
        var plan = ChoosePlan(request);
        var book = new SlotBook(SlotRange.Split(request.NonceStart, request.NonceEnd, plan.Workers), Options.MaxAttemptsPerSlot, Options.Spot);
        var scannerPath = Options.ResolvedScannerPath;
        if (!File.Exists(scannerPath))
            throw new FileNotFoundException($"The worker scanner '{scannerPath}' does not exist: build it (build.ps1 Build puts cnd-scan next to the module) or set ScannerPath.", scannerPath);
        var userData = WorkerUserData.Embedded();
        var session = AwsSession.Resolve(Options.Aws);
        var shutdownAt = deadline + Options.ShutdownMarginFor(request.TimeLimit);

        using var ec2 = session.Ec2();
        using var s3 = session.S3();
        WorkerFleet? fleet = null;
        Ec2SearchRun? run = null;
        var failed = true;
        try
        {
            Report(progress, request, clock, "checking the account, instance type, AMI and network");
            var target = await Ec2Preflight.CheckAsync(session, Options, ec2, cancellationToken);
            progress?.Report(new SearchProgress { SearchId = request.SearchId, NoncesTotal = request.RangeSize, Elapsed = clock.Elapsed,
                Status = "network chosen", Note = "Workers' network: " + target.Network.Explanation });
            var bucket = new ModuleBucket(s3, Options.Bucket ?? ModuleBucket.DefaultName(target.AccountId, session.Region), session.Region, session.S3UsesHttp);
            Report(progress, request, clock, $"preparing bucket {bucket.Name}");
            await bucket.EnsureAsync(cancellationToken);
            var scanner = await UploadScannerAsync(bucket, scannerPath, shutdownAt, cancellationToken);
            fleet = new WorkerFleet(ec2, request.SearchId, bucket.Name);
            var securityGroup = await fleet.CreateSecurityGroupAsync(target.Network.VpcId, cancellationToken);
            var bootOverhead = Options.RateFor(target.InstanceType, target.VCpus).BootOverhead;
            run = new Ec2SearchRun(new Ec2RunContext
            {
                Request = request,
                Target = target,
                Bucket = bucket,
                Fleet = fleet,
                UserData = userData,
                Scanner = scanner,
                SecurityGroupId = securityGroup,
                Deadline = deadline,
                ShutdownAt = shutdownAt,
                PollInterval = Options.PollInterval,
                ProgressInterval = Options.ProgressInterval,
                RelaunchWindow = bootOverhead,
                BootTimeout = Options.BootTimeoutFor(bootOverhead),
                SilenceTimeout = Options.ResolvedSilenceTimeout,
                Backoff = new LaunchBackoff(Options.LaunchRetryInitial, Options.LaunchRetryMaximum),
                SpotFallback = Options.SpotFallback,
                Worker = DescribeWorkers(request),
                PlannedProbability = plan.Probability,
                Price = spot => PriceTable.Default.For(target.InstanceType, spot, Options.PricePerHour),
            }, book, progress, clock);
            var result = await run.RunAsync(cancellationToken);
            failed = false;
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            failed = false;
            return run?.Result(StopReason.Cancelled, null) ?? Ec2SearchRun.ResultOf(request, book, clock.Elapsed, StopReason.Cancelled, null);
        }
        finally
        {
            if (fleet is not null)
            {
                Report(progress, request, clock, "terminating the workers");
                await EndFleetAsync(fleet, shutdownAt, rethrow: !failed);
            }
        }
    }

    private SearchPlan ChoosePlan(SearchRequest request)
    {
        if (request.Workers > Options.MaxWorkers)
            throw new ArgumentOutOfRangeException(nameof(request), request.Workers,
                $"{request.Workers} EC2 workers were asked for; the maximum is {Options.MaxWorkers} (-MaxVMCount).");
        var plan = SearchPlanner.PlanFor(this, request)!;
        if (request.Workers == 0 && !plan.Reachable)
            throw new InvalidOperationException(plan.Explanation);
        return plan;
    }

    private static async Task<ScannerObject> UploadScannerAsync(ModuleBucket bucket, string path, DateTimeOffset shutdownAt, CancellationToken ct)
    {
        string sha;
        await using (var file = File.OpenRead(path))
            sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
        var key = SearchObjectKeys.Scanner(sha);
        await bucket.UploadOnceAsync(key, path, new Dictionary<string, string> { [CndTags.CreatedBy] = CndTags.CreatedByValue }, ct);
        return new ScannerObject(bucket.PresignGet(key, (shutdownAt + TimeSpan.FromMinutes(1)).UtcDateTime), sha);
    }

    private static async Task EndFleetAsync(WorkerFleet fleet, DateTimeOffset shutdownAt, bool rethrow)
    {
        try
        {
            await fleet.TerminateAllAsync(TerminateTimeout);
        }
        catch (Exception e) when (rethrow)
        {
            throw new InvalidOperationException(
                $"The search ended but its instances could not be terminated ({e.Message}). They power themselves off by " +
                $"{shutdownAt:u}; check with Get-CndFleet and Remove-CndResources.", e);
        }
        catch (Exception)
        {
            // The search already failed with a more useful error, and the instances' own scheduled
            // power-off still ends them: surfacing this would hide the cause.
        }
    }

    private static void Report(IProgress<SearchProgress>? progress, SearchRequest request, Stopwatch clock, string status) =>
        progress?.Report(new SearchProgress { SearchId = request.SearchId, NoncesTotal = request.RangeSize, Elapsed = clock.Elapsed, Status = status });
}
