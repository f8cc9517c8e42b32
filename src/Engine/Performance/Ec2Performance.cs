using System.Text;
using CloudNonce.Engine.Hashing;
using CloudNonce.Engine.Providers.Ec2;
using CloudNonce.Engine.Search;

namespace CloudNonce.Engine.Performance;

/// <summary>The EC2 performance test (the original tool's -P): for each instance type and fleet size,
/// a real search over the same fixed range at a difficulty no nonce reaches, so every fleet hashes the
/// whole range and the times compare. Each fleet is a whole search (launch, scan, terminate), so its
/// figures include what a user pays for: boot, scanner download, polling.</summary>
public sealed class Ec2Performance(Ec2Options options)
{
    public static readonly byte[] Block = Encoding.UTF8.GetBytes("CloudNonce EC2 performance test");

    /// <summary>Finer than a search's default reporting, so the first-hash time (BootSeconds) is sharp.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(0.5);
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    /// <summary>Receives the decisions each fleet's search reports for -Verbose (its workers' network).</summary>
    public IProgress<string>? Notes { get; init; }

    /// <summary>Measures each type at each fleet size, smallest fleet first (it is the reference of
    /// Speedup), and yields every sample as soon as its fleet has ended.</summary>
    public IEnumerable<Ec2PerformanceSample> Measure(IReadOnlyList<string> instanceTypes, IReadOnlyList<int> vmCounts, ulong rangeSize,
        TimeSpan timeLimit, IProgress<string>? status, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(rangeSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rangeSize, 1UL << 32);
        var counts = vmCounts.Distinct().Order().ToArray();
        foreach (var type in instanceTypes.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            double? perInstance = null;
            foreach (var vms in counts)
            {
                cancellationToken.ThrowIfCancellationRequested();
                status?.Report($"{type}: {vms} instance(s) over {rangeSize:N0} nonces");
                var (result, firstHash) = Run(type, vms, rangeSize, timeLimit, status, cancellationToken);
                if (result.StopReason == StopReason.Cancelled) throw new OperationCanceledException(cancellationToken);
                var sample = Sample(type, vms, rangeSize, result, firstHash, perInstance);
                perInstance ??= sample.NoncesPerSecond / vms;
                yield return sample;
            }
        }
    }

    /// <summary>Keeps each type's per-instance rate (from its smallest fleet, the least disturbed by
    /// polling) and its median boot time, for later plans.</summary>
    public static void Remember(Ec2RateCache cache, IEnumerable<Ec2PerformanceSample> samples, string where, DateTimeOffset measuredAt)
    {
        foreach (var type in samples.GroupBy(s => s.InstanceType, StringComparer.OrdinalIgnoreCase))
        {
            var smallest = type.MinBy(s => s.VMs)!;
            var boots = type.Select(s => s.BootSeconds).Order().ToArray();
            cache.Save(type.Key, smallest.NoncesPerSecond / smallest.VMs, TimeSpan.FromSeconds(boots[boots.Length / 2]), where, measuredAt);
        }
    }

    private (CndSearchResult Result, TimeSpan? FirstHash) Run(string type, int vms, ulong rangeSize, TimeSpan timeLimit,
        IProgress<string>? status, CancellationToken cancellationToken)
    {
        var provider = new Ec2SearchProvider(options with { InstanceType = type, PollInterval = PollInterval, ProgressInterval = ProgressInterval });
        var request = new SearchRequest
        {
            Block = Block,
            Difficulty = NonceHasher.UnreachableDifficulty,
            NonceStart = 0,
            NonceEnd = (uint)(rangeSize - 1),
            Units = vms,
            TimeLimit = timeLimit,
        };
        TimeSpan? firstHash = null;
        var progress = new SynchronousProgress(p =>
        {
            // A worker counts as running once it has written progress; a fleet quicker than one poll
            // shows up as done, a poll interval late at most.
            if (firstHash is null && (p.NoncesDone > 0 || p.UnitsScanning > 0 || p.UnitsDone > 0)) firstHash = p.Elapsed;
            status?.Report($"{type}, {vms} instance(s): {p.Status} ({p.NoncesDone:N0} of {p.NoncesTotal:N0})");
            if (p.Note is { } note) Notes?.Report($"{type}, {vms} instance(s): {note}");
        });
        var result = provider.RunAsync(request, progress, cancellationToken).GetAwaiter().GetResult();
        return (result, firstHash);
    }

    private static Ec2PerformanceSample Sample(string type, int vms, ulong rangeSize, CndSearchResult result, TimeSpan? firstHash, double? perInstance)
    {
        // A fleet that finished between two polls sent no report before the end: then the rate is the
        // sum of the workers' own scan rates, and the boot time is what the sweep at that rate leaves.
        var hashing = firstHash is { } first ? result.Elapsed - first : TimeSpan.Zero;
        var rate = hashing > TimeSpan.Zero ? result.Hashes / hashing.TotalSeconds : result.NoncesPerSecond;
        var boot = firstHash ?? (rate > 0 ? result.Elapsed - TimeSpan.FromSeconds(Math.Min(result.Hashes / rate, result.Elapsed.TotalSeconds)) : result.Elapsed);
        var covered = result.StopReason == StopReason.Exhausted;
        var timeToCover = covered || rate <= 0 ? result.Elapsed : boot + TimeSpan.FromSeconds(rangeSize / rate);
        var reference = perInstance ?? rate / vms;
        var speedup = reference > 0 ? rate / reference : 0;
        return new Ec2PerformanceSample(type, vms, rate, timeToCover, speedup, speedup / vms, boot.TotalSeconds,
            result.EstimatedCost, rangeSize, result.Hashes, result.StopReason);
    }

    /// <summary>Runs the handler on the reporting thread: Progress&lt;T&gt; would post it to the thread
    /// pool, where the first-hash time could be read after the search has returned.</summary>
    private sealed class SynchronousProgress(Action<SearchProgress> handler) : IProgress<SearchProgress>
    {
        public void Report(SearchProgress value) => handler(value);
    }
}
