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

/// <summary>A subnet, as far as the workers' way out is concerned.</summary>
public sealed record SubnetFacts(string SubnetId, string VpcId, bool MapPublicIpOnLaunch);

/// <summary>One route: where it leads and to which target.</summary>
/// <param name="DestinationCidr">An IPv4 range (0.0.0.0/0 for the default route), or null.</param>
/// <param name="DestinationPrefixListId">A prefix list (a gateway endpoint's service), or null.</param>
/// <param name="Target">The gateway, NAT gateway, endpoint, interface… the route sends traffic to.</param>
/// <param name="Active">false for a blackhole: its target is gone.</param>
public sealed record RouteFacts(string? DestinationCidr, string? DestinationPrefixListId, string? Target, bool Active = true);

/// <summary>The route table that governs a subnet: the one associated with it, else the VPC's main one.</summary>
public sealed record RouteTableFacts(string RouteTableId, bool IsMain, IReadOnlyList<RouteFacts> Routes);
