using Amazon.EC2.Model;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Where the workers launch and how they reach S3, decided before anything is created
/// (<see cref="S3Reachability"/>, read by <see cref="WorkerNetworkReader"/>).</summary>
/// <param name="VpcId">The VPC the search's security group belongs in.</param>
/// <param name="SubnetId">null: EC2 chooses one of the default VPC's default subnets (and so the zone).</param>
/// <param name="AssociatePublicIp">The subnet routes to an internet gateway but maps no public IPv4:
/// the launch asks for one on the network interface.</param>
/// <param name="Explanation">Which network was chosen and why, for -Verbose.</param>
public sealed record WorkerNetwork(string VpcId, string? SubnetId, bool AssociatePublicIp, string Explanation)
{
    /// <summary>Fills the network part of a launch. EC2 takes the security group either on the request
    /// or on the network interface, never both: a launch that asks for a public IP carries it on the
    /// interface. That interface goes with its instance: EC2's DeleteOnTermination defaults to true for
    /// an interface created at launch (and moto, told so explicitly, fails a second TerminateInstances).</summary>
    public void ApplyTo(RunInstancesRequest request, string securityGroupId)
    {
        if (AssociatePublicIp)
        {
            request.NetworkInterfaces =
            [
                new InstanceNetworkInterfaceSpecification
                {
                    DeviceIndex = 0,
                    SubnetId = SubnetId,
                    Groups = [securityGroupId],
                    AssociatePublicIpAddress = true,
                },
            ];
            return;
        }
        request.SecurityGroupIds = [securityGroupId];
        request.SubnetId = SubnetId;
    }
}
