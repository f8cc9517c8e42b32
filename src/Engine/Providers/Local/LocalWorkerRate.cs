using System.Collections.Concurrent;
using CloudNonce.Engine.Performance;

namespace CloudNonce.Engine.Providers.Local;

/// <summary>One thread's rate per kernel, measured on first use and kept for the process, so that
/// planning a local search costs a fraction of a second once rather than on every search.</summary>
internal static class LocalWorkerRate
{
    private static readonly TimeSpan ProbeTime = TimeSpan.FromSeconds(0.2);
    private static readonly ConcurrentDictionary<string, Lazy<double>> Rates = new();

    public static double PerThread(string kernel) =>
        Rates.GetOrAdd(kernel, k => new Lazy<double>(() => LocalPerformance.MeasureRate(k, 1, ProbeTime, CancellationToken.None))).Value;
}
