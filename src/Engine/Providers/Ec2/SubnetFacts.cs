namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>A subnet, as far as the workers' way out is concerned.</summary>
public sealed record SubnetFacts(string SubnetId, string VpcId, bool MapPublicIpOnLaunch);
