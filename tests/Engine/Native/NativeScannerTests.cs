using CloudNonce.Engine.Native;

namespace CloudNonce.Engine.Tests.Native;

[Collection(SerialCollection.Name)]
public class NativeScannerTests
{
    private static readonly byte[] DefaultBlock = Encoding.UTF8.GetBytes("COMSM0010cloud");

    // Lengths around the 64-byte chunk edges, where the nonce or the length field spills into a second chunk.
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(14)]
    [InlineData(51)]
    [InlineData(52)]
    [InlineData(55)]
    [InlineData(56)]
    [InlineData(59)]
    [InlineData(60)]
    [InlineData(61)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(119)]
    [InlineData(124)]
    [InlineData(200)]
    public void Digests_match_dotnet_sha256_for_every_kernel(int blockLength)
    {
        var block = Enumerable.Range(0, blockLength).Select(i => (byte)(i * 7 + 1)).ToArray();
        foreach (var kernel in NativeKernels.Available())
        {
            foreach (var nonce in new uint[] { 0, 1, 0x01020304, 0xdeadbeef, uint.MaxValue })
            {
                // At D = 0 every nonce is golden, so a one-nonce scan returns that nonce's digest.
                var outcome = NativeScanner.Scan(new ScanSpec { Block = block, Difficulty = 0, NonceStart = nonce, NonceEnd = nonce, Kernel = kernel, Threads = 1 }, null, default);
                Assert.Equal(ScanStatus.Found, outcome.Status);
                Assert.Equal(nonce, outcome.Nonce);
                Assert.Equal(ReferenceHash.Digest(block, nonce), outcome.Hash);
            }
        }
    }

    [Fact]
    public void Finds_the_lowest_golden_nonce_whatever_the_kernel_and_thread_count()
    {
        const int d = 13;
        var expected = ManagedSearch.LowestGolden(DefaultBlock, d, 1000, 400_000);
        Assert.NotNull(expected);
        foreach (var kernel in NativeKernels.Available())
        {
            foreach (var threads in new[] { 1, 2, 3 })
            {
                var outcome = NativeScanner.Scan(new ScanSpec { Block = DefaultBlock, Difficulty = d, NonceStart = 1000, NonceEnd = 400_000, Kernel = kernel, Threads = threads }, null, default);
                Assert.Equal(ScanStatus.Found, outcome.Status);
                Assert.Equal(expected, outcome.Nonce);
            }
        }
    }

    [Fact]
    public void A_range_without_a_golden_nonce_is_exhausted()
    {
        var outcome = NativeScanner.Scan(new ScanSpec { Block = DefaultBlock, Difficulty = 40, NonceStart = 10, NonceEnd = 20_009, Threads = 2 }, null, default);
        Assert.Equal(ScanStatus.Exhausted, outcome.Status);
        Assert.Null(outcome.Nonce);
        Assert.Null(outcome.Hash);
        Assert.Equal(20_000UL, outcome.Hashes);
    }

    [Fact]
    public void Stops_at_the_time_limit()
    {
        var clock = Stopwatch.StartNew();
        var outcome = NativeScanner.Scan(new ScanSpec { Block = DefaultBlock, Difficulty = 256, TimeLimit = TimeSpan.FromSeconds(1) }, null, default);
        Assert.Equal(ScanStatus.TimeLimit, outcome.Status);
        // Never before the limit; how far past it is measured by bench/Measure-StopLatency.ps1.
        Assert.True(clock.Elapsed.TotalSeconds >= 0.9, $"stopped after {clock.Elapsed}, before the 1 s limit");
        Assert.True(outcome.Hashes > 0);
    }

    [Fact]
    public void Cancellation_stops_the_scan_promptly()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();
        var outcome = NativeScanner.Scan(new ScanSpec { Block = DefaultBlock, Difficulty = 256, TimeLimit = TimeSpan.FromSeconds(30) }, null, cancel.Token);
        Assert.Equal(ScanStatus.Cancelled, outcome.Status);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.25, 20);   // ended by the cancel, not the 30 s limit
    }

    [Fact]
    public void An_already_cancelled_token_returns_at_once()
    {
        var outcome = NativeScanner.Scan(new ScanSpec { Block = DefaultBlock, Difficulty = 256, TimeLimit = TimeSpan.FromSeconds(30) }, null, new CancellationToken(true));
        Assert.Equal(ScanStatus.Cancelled, outcome.Status);
    }

    [Fact]
    public void Progress_arrives_on_the_calling_thread_at_the_interval()
    {
        var reports = new List<(ScanProgress Progress, int Thread)>();
        NativeScanner.Scan(new ScanSpec { Block = DefaultBlock, Difficulty = 256, TimeLimit = TimeSpan.FromSeconds(1.2), ProgressInterval = TimeSpan.FromSeconds(0.25) },
            p => reports.Add((p, Environment.CurrentManagedThreadId)), default);
        Assert.InRange(reports.Count, 2, 8);
        Assert.All(reports, r => Assert.Equal(Environment.CurrentManagedThreadId, r.Thread));
        Assert.Equal(reports.Select(r => r.Progress.Hashes).Order(), reports.Select(r => r.Progress.Hashes));
        Assert.True(reports[^1].Progress.NoncesPerSecond > 0);
    }

    [Fact]
    public void A_failing_progress_handler_stops_the_scan_and_surfaces_its_exception()
    {
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<InvalidOperationException>(() => NativeScanner.Scan(
            new ScanSpec { Block = DefaultBlock, Difficulty = 256, TimeLimit = TimeSpan.FromSeconds(30), ProgressInterval = TimeSpan.FromSeconds(0.1) },
            _ => throw new InvalidOperationException("handler failed"), default));
        Assert.Equal("handler failed", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20));   // ended by the failure, not the 30 s limit
    }

    [Fact]
    public void Unknown_kernels_are_rejected_by_name()
    {
        var error = Assert.Throws<CndNativeException>(() => NativeScanner.Scan(new ScanSpec { Block = DefaultBlock, Difficulty = 1, Kernel = "sse9" }, null, default));
        Assert.Equal(CndNativeError.UnknownKernel, error.Error);
        Assert.Contains("'sse9'", error.Message);
        Assert.Contains("scalar", error.Message);
    }

    [FactNeedingAnUnavailableKernel]
    public void Unavailable_kernels_are_reported_with_the_available_ones()
    {
        var missing = UnavailableKernel.Name!;
        var error = Assert.Throws<CndNativeException>(() => NativeScanner.Scan(new ScanSpec { Block = DefaultBlock, Difficulty = 1, Kernel = missing }, null, default));
        Assert.Equal(CndNativeError.KernelUnavailable, error.Error);
        Assert.Contains(NativeKernels.Available()[0], error.Message);
    }

    [Fact]
    public void Auto_resolves_to_an_available_kernel()
    {
        Assert.Contains(NativeKernels.Resolve("auto"), NativeKernels.Available());
        Assert.Equal("scalar", NativeKernels.Resolve("SCALAR"));
        Assert.True(NativeKernels.OnlineCores() >= 1);
    }
}
