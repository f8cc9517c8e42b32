using CloudNonce.Engine.Native;
using CloudNonce.Engine.Providers;
using CloudNonce.Engine.Providers.Local;

namespace CloudNonce.Engine.Tests.Providers.Local;

[Collection(SerialCollection.Name)]
public class LocalSearchProviderTests
{
    private static readonly byte[] Block = Encoding.UTF8.GetBytes(SearchRequest.DefaultBlockText);
    private readonly ISearchProvider _provider = SearchProviderFactory.Create(SearchProviderKind.Local);

    [Fact]
    public async Task Finds_a_golden_nonce_that_dotnet_sha256_confirms()
    {
        var result = await _provider.RunAsync(new SearchRequest { Block = Block, Difficulty = 18, TimeLimit = TimeSpan.FromSeconds(30) }, null, default);
        Assert.True(result.Found);
        Assert.Equal(StopReason.Found, result.StopReason);
        Assert.Equal(Convert.ToHexStringLower(ReferenceHash.Digest(Block, result.Nonce!.Value)), result.Hash);
        Assert.True(result.LeadingZeroBits >= 18);
        Assert.Equal(ManagedSearch.LowestGolden(Block, 18, 0, result.Nonce!.Value), result.Nonce);
        Assert.Equal("Local", result.Provider);
        Assert.Equal(Convert.ToHexStringLower(Block), result.BlockHex);
        Assert.Contains(result.Kernel, NativeKernels.Available());
    }

    [Fact]
    public async Task Maps_the_time_limit_and_reports_progress_from_a_dedicated_thread()
    {
        var progress = new RecordingProgress();
        var request = new SearchRequest { Block = Block, Difficulty = 256, TimeLimit = TimeSpan.FromSeconds(1.2), Units = 2 };
        var result = await _provider.RunAsync(request, progress, default);
        Assert.Equal(StopReason.TimeLimit, result.StopReason);
        Assert.False(result.Found);
        Assert.Null(result.Hash);
        Assert.Equal(2, result.Threads);
        Assert.InRange(progress.Reports.Count, 2, 8);
        Assert.All(progress.Reports, p =>
        {
            Assert.Equal(request.SearchId, p.SearchId);
            Assert.Equal(1UL << 32, p.NoncesTotal);
            Assert.Equal(2, p.UnitsScanning);
        });
        Assert.False(progress.OnThreadPool);
    }

    [Fact]
    public async Task Cancellation_returns_a_cancelled_result_promptly()
    {
        using var cancel = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var search = _provider.RunAsync(new SearchRequest { Block = Block, Difficulty = 256, TimeLimit = TimeSpan.FromSeconds(60) }, null, cancel.Token);
        await Task.Delay(300);
        cancel.Cancel();
        var result = await search;
        Assert.Equal(StopReason.Cancelled, result.StopReason);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}: the cancel did not end it before the 60 s limit");
        Assert.Equal(0, SearchThreads.CountAfterSettling(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_range_without_a_golden_nonce_is_exhausted()
    {
        var result = await _provider.RunAsync(new SearchRequest { Block = Block, Difficulty = 40, NonceStart = 5, NonceEnd = 50_004 }, null, default);
        Assert.Equal(StopReason.Exhausted, result.StopReason);
        Assert.Equal(5u, result.NonceStart);
        Assert.Equal(50_004u, result.NonceEnd);
    }

    [FactNeedingAnUnavailableKernel]
    public async Task Native_failures_fault_the_task()
    {
        var missing = UnavailableKernel.Name!;
        var error = await Assert.ThrowsAsync<CndNativeException>(() =>
            _provider.RunAsync(new SearchRequest { Block = Block, Difficulty = 1, Kernel = missing }, null, default));
        Assert.Equal(CndNativeError.KernelUnavailable, error.Error);
    }

    [Fact]
    public void Plans_every_core_at_the_measured_rate()
    {
        var plan = SearchPlanner.PlanFor(_provider, new SearchRequest { Block = Block, Difficulty = 20 });
        Assert.NotNull(plan);
        Assert.Equal(NativeKernels.OnlineCores(), plan.Units);
        Assert.True(plan.NoncesPerSecondPerUnit > 1e5);
        Assert.Equal(TimeSpan.Zero, plan.BootOverhead);
        Assert.Contains("thread of the", plan.Unit);
        Assert.Null(plan.Confidence);
    }

    [Fact]
    public void Plans_an_explicit_thread_count_against_the_confidence()
    {
        var plan = SearchPlanner.PlanFor(_provider, new SearchRequest { Block = Block, Difficulty = 48, Units = 1, Confidence = 0.9, TimeLimit = TimeSpan.FromSeconds(1) })!;
        Assert.Equal(1, plan.Units);
        Assert.False(plan.Reachable);
    }

    private sealed class RecordingProgress : IProgress<SearchProgress>
    {
        public List<SearchProgress> Reports { get; } = [];
        public bool OnThreadPool { get; private set; }

        public void Report(SearchProgress value)
        {
            OnThreadPool |= Thread.CurrentThread.IsThreadPoolThread;
            lock (Reports) Reports.Add(value);
        }
    }
}
