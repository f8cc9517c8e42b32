namespace CloudNonce.Engine.Performance;

/// <summary>Throughput of one kernel on a number of threads.</summary>
/// <param name="Kernel">Native kernel name.</param>
/// <param name="Threads">Hashing threads.</param>
/// <param name="NoncesPerSecond">Nonces per second, all threads.</param>
/// <param name="Speedup">NoncesPerSecond over the same kernel's one-thread rate.</param>
/// <param name="Efficiency">Speedup per thread (1 = perfect scaling).</param>
public sealed record PerformanceSample(string Kernel, int Threads, double NoncesPerSecond, double Speedup, double Efficiency);
