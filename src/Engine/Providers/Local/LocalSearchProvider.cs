using CloudNonce.Engine.Hashing;
using CloudNonce.Engine.Native;
using CloudNonce.Engine.Planning;
using CloudNonce.Engine.Search;

namespace CloudNonce.Engine.Providers.Local;

/// <summary>Searches on this machine's cores through the native scanner; one worker is one thread.</summary>
public sealed class LocalSearchProvider : ISearchProvider, IPlannableProvider
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(0.25);

    public SearchProviderKind Kind => SearchProviderKind.Local;

    /// <summary>Local cores cost nothing, so an open worker count means every core.</summary>
    public UnitProfile DescribeUnit(SearchRequest request)
    {
        var kernel = NativeKernels.Resolve(request.Kernel);
        var cores = NativeKernels.OnlineCores();
        return new UnitProfile(PlanUnit.Thread, LocalThreadRate.PerThread(kernel), TimeSpan.Zero, cores, cores,
            $"1 thread of the {kernel} kernel (rate measured on this machine)");
    }

    /// <summary>The scan blocks a thread for its whole length, so it gets a thread of its own rather
    /// than one of the thread pool's.</summary>
    public Task<CndSearchResult> RunAsync(SearchRequest request, IProgress<SearchProgress>? progress, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<CndSearchResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try { completion.SetResult(Run(request, progress, cancellationToken)); }
            catch (Exception e) { completion.SetException(e); }
        })
        {
            IsBackground = true,
            Name = "cnd-local " + request.SearchId,
        };
        thread.Start();
        return completion.Task;
    }

    private static CndSearchResult Run(SearchRequest request, IProgress<SearchProgress>? progress, CancellationToken cancellationToken)
    {
        request.Events.Started(request, nameof(SearchProviderKind.Local));
        try
        {
            var result = Scan(request, progress, cancellationToken);
            request.Events.Ended(result);
            return result;
        }
        catch (Exception e)
        {
            request.Events.Failed(request, e);
            throw;
        }
    }

    private static CndSearchResult Scan(SearchRequest request, IProgress<SearchProgress>? progress, CancellationToken cancellationToken)
    {
        var threads = request.Units > 0 ? request.Units : NativeKernels.OnlineCores();
        var kernel = NativeKernels.Resolve(request.Kernel);
        request.Events.Write(request.SearchId, "plan", new { threads, kernel, timeLimitSeconds = request.TimeLimit.TotalSeconds });
        Action<ScanProgress>? onProgress = progress is null ? null : p => progress.Report(
            SearchProgress.Of(request, p.Hashes, p.NoncesPerSecond, p.Elapsed, $"scanning on {threads} thread(s) with the {kernel} kernel")
                with { UnitsScanning = threads });
        var outcome = NativeScanner.Scan(new ScanSpec
        {
            Block = request.Block,
            Difficulty = request.Difficulty,
            NonceStart = request.NonceStart,
            NonceEnd = request.NonceEnd,
            Kernel = kernel,
            Threads = threads,
            TimeLimit = request.TimeLimit,
            ProgressInterval = ProgressInterval,
        }, onProgress, cancellationToken);
        return ToResult(request, outcome);
    }

    private static CndSearchResult ToResult(SearchRequest request, NativeScanOutcome outcome)
    {
        var digest = outcome.Nonce is { } nonce ? ConfirmDigest(request, nonce, outcome.Hash!) : null;
        var split = SearchTimeSplit.AllScanning(outcome.Elapsed);
        return new CndSearchResult
        {
            Found = digest is not null,
            Nonce = outcome.Nonce,
            Hash = digest is null ? null : HexText.Lower(digest),
            LeadingZeroBits = digest is null ? 0 : NonceHasher.LeadingZeroBits(digest),
            Difficulty = request.Difficulty,
            Elapsed = outcome.Elapsed,
            Hashes = outcome.Hashes,
            NoncesPerSecond = outcome.NoncesPerSecond,
            Threads = outcome.Threads,
            Provider = nameof(SearchProviderKind.Local),
            SearchId = request.SearchId,
            StopReason = outcome.Status switch
            {
                ScanStatus.Found => StopReason.Found,
                ScanStatus.Exhausted => StopReason.Exhausted,
                ScanStatus.TimeLimit => StopReason.TimeLimit,
                _ => StopReason.Cancelled,
            },
            Kernel = outcome.Kernel,
            NonceStart = request.NonceStart,
            NonceEnd = request.NonceEnd,
            BlockHex = HexText.Lower(request.Block),
            TimeToFirstHash = split.TimeToFirstHash,
            ScanningTime = split.ScanningTime,
            ControllerOverhead = split.ControllerOverhead,
        };
    }

    // The native core re-checks its candidates already; a second, managed implementation makes a
    // wrong answer from either one loud instead of returned.
    private static byte[] ConfirmDigest(SearchRequest request, uint nonce, byte[] nativeDigest)
    {
        var verdict = NonceVerifier.Verify(request.Block, nonce, request.Difficulty, nativeDigest);
        if (!verdict.Confirmed)
        {
            throw new InvalidOperationException(
                $"The native scanner reported nonce {nonce} as golden at D = {request.Difficulty}, but the managed SHA-256 gives {verdict.HashHex}.");
        }
        return verdict.Digest;
    }
}
