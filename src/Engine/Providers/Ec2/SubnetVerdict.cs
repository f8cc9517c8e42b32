namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>What one subnet offers its workers on the way to S3, with the reason in words.</summary>
public sealed record SubnetVerdict(SubnetFacts Subnet, RouteTableFacts RouteTable, S3Path Path, string Reason)
{
    public bool ReachesS3 => Path != S3Path.None;
    public bool NeedsPublicIp => Path == S3Path.InternetGatewayWithRequestedPublicIp;
}
