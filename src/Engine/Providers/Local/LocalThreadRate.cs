using System.Collections.Concurrent;
using CloudNonce.Engine.Performance;

namespace CloudNonce.Engine.Providers.Local;

/// <summary>One thread's rate per kernel, measured on first use and kept for the process, so that
/// planning a local search costs a fraction of a second once rather than on every search.</summary>
public static class LocalThreadRate
{
    private static readonly TimeSpan ProbeTime = TimeSpan.FromSeconds(0.2);
    private static readonly ConcurrentDictionary<string, Lazy<double>> Rates = new();

    /// <summary>Nonces per second of one thread of a concrete kernel (not "auto").</summary>
    public static double PerThread(string kernel) =>
        Rates.GetOrAdd(kernel, k => new Lazy<double>(() => LocalPerformance.MeasureRate(k, 1, ProbeTime, CancellationToken.None))).Value;
}
