namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>What one instance of a type does, for planning before any instance has run.</summary>
/// <param name="InstanceType">The EC2 instance type, e.g. c7i.large.</param>
/// <param name="NoncesPerSecond">cnd-scan throughput of the whole instance (all vCPUs).</param>
/// <param name="BootOverhead">RunInstances to first hash: boot, IMDS, manifest and scanner download.</param>
/// <param name="Source">Where the figures come from.</param>
public sealed record InstanceTypeRate(string InstanceType, double NoncesPerSecond, TimeSpan BootOverhead, string Source);
