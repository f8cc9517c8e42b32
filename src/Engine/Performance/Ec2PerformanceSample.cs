namespace CloudNonce.Engine.Performance;

/// <summary>One fleet of the EC2 performance test (the original tool's -P): VMs instances of one type
/// sweeping the same fixed range at a difficulty no nonce reaches.</summary>
/// <param name="InstanceType">The EC2 instance type.</param>
/// <param name="VMs">Instances in the fleet.</param>
/// <param name="NoncesPerSecond">Nonces hashed over the time from the first hash to the end of the sweep.</param>
/// <param name="TimeToCover">Launch to the whole fixed range scanned: what a user waits for, boot included.</param>
/// <param name="Speedup">NoncesPerSecond over the same type's one-instance rate (or the smallest fleet's per-instance rate × 1).</param>
/// <param name="Efficiency">Speedup per instance (1 = linear scaling).</param>
/// <param name="BootSeconds">Search start to the fleet's first progress report (preflight, launch, boot, scanner
/// download, first hashes), as the controller sees it through its polls.</param>
/// <param name="CostPerSearch">USD of the fleet for this sweep at the price table (or -PricePerHour); null without a price.</param>
/// <param name="RangeSize">Nonces in the fixed range.</param>
/// <param name="Hashes">Nonces hashed across the fleet (at least RangeSize; more when a worker was relaunched).</param>
/// <param name="StopReason">Exhausted when the range was covered; TimeLimit when the fleet ran out of time first.</param>
public sealed record Ec2PerformanceSample(
    string InstanceType, int VMs, double NoncesPerSecond, TimeSpan TimeToCover, double Speedup, double Efficiency,
    double BootSeconds, double? CostPerSearch, ulong RangeSize, ulong Hashes, Search.StopReason StopReason);
