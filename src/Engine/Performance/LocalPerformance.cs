using System.Text;
using CloudNonce.Engine.Hashing;
using CloudNonce.Engine.Native;
using CloudNonce.Engine.Search;

namespace CloudNonce.Engine.Performance;

/// <summary>Measures the native kernels on this machine: a scan at a difficulty nothing reaches, cut
/// off by its time limit, hashes at full speed for exactly that long.</summary>
public static class LocalPerformance
{
    private static readonly byte[] ProbeBlock = Encoding.UTF8.GetBytes(SearchRequest.DefaultBlockText);

    /// <summary>Nonces per second of <paramref name="kernel"/> on <paramref name="threads"/> threads.</summary>
    public static double MeasureRate(string kernel, int threads, TimeSpan duration, CancellationToken cancellationToken)
    {
        var outcome = NativeScanner.Scan(new ScanSpec
        {
            Block = ProbeBlock,
            Difficulty = NonceHasher.UnreachableDifficulty,
            Kernel = kernel,
            Threads = threads,
            TimeLimit = duration,
        }, null, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        return outcome.NoncesPerSecond;
    }

    /// <summary>Every kernel on every thread count, each against its kernel's one-thread rate
    /// (measured once per kernel, also when 1 is not among <paramref name="threadCounts"/>).</summary>
    public static IEnumerable<PerformanceSample> Measure(IEnumerable<string> kernels, IReadOnlyList<int> threadCounts, TimeSpan duration, CancellationToken cancellationToken)
    {
        foreach (var kernel in kernels)
        {
            var rates = new Dictionary<int, double>();
            double RateOn(int threads)
            {
                if (!rates.TryGetValue(threads, out var rate)) rates[threads] = rate = MeasureRate(kernel, threads, duration, cancellationToken);
                return rate;
            }
            foreach (var threads in threadCounts)
            {
                var rate = RateOn(threads);
                var speedup = rate / RateOn(1);
                yield return new PerformanceSample(kernel, threads, rate, speedup, speedup / threads);
            }
        }
    }
}
