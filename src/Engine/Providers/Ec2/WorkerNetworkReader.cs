using Amazon.EC2;
using Amazon.EC2.Model;
using CloudNonce.Engine.Aws;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Reads, with describe calls only, what <see cref="S3Reachability"/> decides on: the subnet the
/// user named (or the default VPC's default subnets), their route tables and the VPC's S3 gateway
/// endpoints. Fails with <see cref="AwsConfigurationException"/> while nothing exists yet.</summary>
public static class WorkerNetworkReader
{
    /// <summary>The workers' network. <c>zones</c> says which zones offer the search's instance types: a named
    /// subnet must be in one, and a default subnet the search pins is taken from one.</summary>
    public static async Task<WorkerNetwork> ResolveAsync(IAmazonEC2 ec2, string? subnetId, string region, ZoneOfferingCheck zones, CancellationToken ct)
    {
        if (subnetId is not null)
        {
            var subnet = await NamedSubnetAsync(ec2, subnetId, region, ct);
            var judge = await JudgeInVpcAsync(ec2, subnet.VpcId, region, ct);
            var network = S3Reachability.ForSubnet(judge(subnet));
            await zones.CheckNamedSubnetAsync(ec2, subnet, ct);
            return network;
        }
        var vpcId = await DefaultVpcAsync(ec2, region, ct);
        var defaults = await ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = [Filter("vpc-id", vpcId), Filter("default-for-az", "true")] }, ct);
        var judgeDefault = await JudgeInVpcAsync(ec2, vpcId, region, ct);
        var verdicts = (defaults.Subnets ?? []).OrderBy(s => s.AvailabilityZone, StringComparer.Ordinal).Select(s => judgeDefault(Facts(s))).ToList();
        return S3Reachability.ForDefaultVpc(vpcId, region, verdicts, zones.OffersAll);
    }

    private static async Task<SubnetFacts> NamedSubnetAsync(IAmazonEC2 ec2, string subnetId, string region, CancellationToken ct)
    {
        try
        {
            var subnets = (await ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { SubnetIds = [subnetId] }, ct)).Subnets ?? [];
            if (subnets.Count > 0) return Facts(subnets[0]);
        }
        catch (AmazonEC2Exception e) when (e.ErrorCode?.StartsWith("InvalidSubnetID", StringComparison.Ordinal) == true)
        {
            throw NoSuchSubnet(subnetId, region, e);
        }
        throw NoSuchSubnet(subnetId, region, null);
    }

    private static AwsConfigurationException NoSuchSubnet(string subnetId, string region, Exception? inner) =>
        new($"-SubnetId '{subnetId}' names no subnet of this account in region {region}{(inner is null ? "" : $" ({inner.Message})")}.", inner);

    private static async Task<string> DefaultVpcAsync(IAmazonEC2 ec2, string region, CancellationToken ct)
    {
        var vpcs = (await ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = [Filter("is-default", "true")] }, ct)).Vpcs ?? [];
        return vpcs.FirstOrDefault()?.VpcId ?? throw new AwsConfigurationException(
            $"Region {region} has no default VPC (accounts made by Control Tower and many organisations have none): pass -SubnetId with a subnet " +
            "whose route table reaches S3 (a route 0.0.0.0/0 to an internet or NAT gateway, or an S3 gateway endpoint).");
    }

    /// <summary>Reads the VPC's route tables and S3 gateway endpoints once, and judges any of its subnets with them.</summary>
    private static async Task<Func<SubnetFacts, SubnetVerdict>> JudgeInVpcAsync(IAmazonEC2 ec2, string vpcId, string region, CancellationToken ct)
    {
        var tables = (await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = [Filter("vpc-id", vpcId)] }, ct)).RouteTables ?? [];
        var endpoints = (await ec2.DescribeVpcEndpointsAsync(new DescribeVpcEndpointsRequest { Filters = [Filter("vpc-id", vpcId)] }, ct)).VpcEndpoints ?? [];
        // China regions prefix the service name (cn.com.amazonaws.cn-north-1.s3): match on the end.
        var s3Endpoints = endpoints
            .Where(e => e.VpcEndpointType == VpcEndpointType.Gateway && e.ServiceName?.EndsWith($".{region}.s3", StringComparison.Ordinal) == true)
            .Select(e => e.VpcEndpointId)
            .ToHashSet(StringComparer.Ordinal);
        var main = tables.FirstOrDefault(t => (t.Associations ?? []).Any(a => a.Main == true));
        return subnet =>
        {
            var associated = tables.FirstOrDefault(t => (t.Associations ?? []).Any(a => a.SubnetId == subnet.SubnetId));
            var table = associated ?? main ?? throw new AwsConfigurationException(
                $"Neither {subnet.SubnetId} nor its VPC {subnet.VpcId} has a route table this account can read: cannot tell whether workers there reach S3.");
            return S3Reachability.Judge(subnet, Facts(table, isMain: associated is null), s3Endpoints);
        };
    }

    private static SubnetFacts Facts(Subnet subnet) => new(subnet.SubnetId, subnet.VpcId, subnet.MapPublicIpOnLaunch == true, subnet.AvailabilityZone);

    private static RouteTableFacts Facts(RouteTable table, bool isMain) =>
        new(table.RouteTableId, isMain, (table.Routes ?? []).Select(r => new RouteFacts(
            r.DestinationCidrBlock, r.DestinationPrefixListId, TargetOf(r), r.State != RouteState.Blackhole)).ToList());

    private static string? TargetOf(Route route) =>
        route.NatGatewayId ?? route.GatewayId ?? route.TransitGatewayId ?? route.NetworkInterfaceId ?? route.InstanceId
        ?? route.VpcPeeringConnectionId ?? route.CarrierGatewayId ?? route.LocalGatewayId ?? route.EgressOnlyInternetGatewayId ?? route.CoreNetworkArn;

    private static Filter Filter(string name, string value) => new() { Name = name, Values = [value] };
}
