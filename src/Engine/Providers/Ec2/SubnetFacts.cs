namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>A subnet, as far as the workers' way out is concerned.</summary>
/// <remarks>AvailabilityZone: the zone a launch into the subnet lands in.</remarks>
public sealed record SubnetFacts(string SubnetId, string VpcId, bool MapPublicIpOnLaunch, string AvailabilityZone = "");
