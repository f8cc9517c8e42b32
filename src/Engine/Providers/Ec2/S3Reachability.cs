using CloudNonce.Engine.Aws;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Decides, from a subnet and its route table alone, whether workers launched there can fetch
/// their manifest and scanner from S3 (a worker with no way out powers off, and its slot is relaunched
/// into the same dead end). Pure: <see cref="WorkerNetworkReader"/> gathers the facts.</summary>
public static class S3Reachability
{
    private const string AnyIpv4 = "0.0.0.0/0";

    /// <param name="subnet">The subnet the workers would launch in.</param>
    /// <param name="table">The route table that governs it.</param>
    /// <param name="s3GatewayEndpointIds">The VPC's gateway endpoints for this region's S3.</param>
    public static SubnetVerdict Judge(SubnetFacts subnet, RouteTableFacts table, IReadOnlySet<string> s3GatewayEndpointIds)
    {
        var active = table.Routes.Where(r => r.Active).ToList();
        var endpoint = active.FirstOrDefault(r => r.DestinationPrefixListId is not null && r.Target is { } t && s3GatewayEndpointIds.Contains(t));
        // S3 traffic takes the prefix-list route over 0.0.0.0/0 (the more specific one), so an endpoint
        // needs no public IP whatever else the table says.
        if (endpoint is not null)
            return Verdict(S3Path.GatewayEndpoint, $"route {endpoint.DestinationPrefixListId} → {endpoint.Target} (S3 gateway endpoint)");

        var target = active.FirstOrDefault(r => r.DestinationCidr == AnyIpv4)?.Target;
        if (target is null)
            return Verdict(S3Path.None, NoWayOut(table));
        if (target.StartsWith("nat-", StringComparison.Ordinal))
            return Verdict(S3Path.NatGateway, $"route {AnyIpv4} → {target} (NAT gateway)");
        if (target.StartsWith("igw-", StringComparison.Ordinal))
            return subnet.MapPublicIpOnLaunch
                ? Verdict(S3Path.InternetGateway, $"route {AnyIpv4} → {target}, public IPs mapped on launch")
                : Verdict(S3Path.InternetGatewayWithRequestedPublicIp, $"route {AnyIpv4} → {target}, no public IP mapping: asking for one");
        return Verdict(S3Path.UncheckedTarget,
            $"route {AnyIpv4} → {target}, not checked beyond it: it must lead to a NAT or internet gateway for the workers to reach S3");

        SubnetVerdict Verdict(S3Path path, string why) =>
            new(subnet, table, path, $"{subnet.SubnetId}: {Describe(table)}: {why}");
    }

    /// <summary>The network for workers in the subnet the user named; refuses when they would have no way to S3.</summary>
    public static WorkerNetwork ForSubnet(SubnetVerdict verdict)
    {
        if (!verdict.ReachesS3)
            throw new AwsConfigurationException($"Workers in {verdict.Subnet.SubnetId} ({verdict.Subnet.VpcId}) would have no way to S3 " +
                $"to fetch their manifest and scanner: {verdict.Reason}. {WhatWouldDo(verdict.RouteTable)}, or pass another -SubnetId.");
        return new WorkerNetwork(verdict.Subnet.VpcId, verdict.Subnet.SubnetId, verdict.NeedsPublicIp, $"subnet {verdict.Reason}");
    }

    /// <summary>The network for workers in the default VPC. When every default subnet reaches S3 as it is,
    /// EC2 keeps choosing the subnet (and with it the zone that has capacity); otherwise the launch is
    /// pinned to one that reaches S3, asking for a public IP only when none does without one, in a zone
    /// that offers the instance types (<paramref name="zoneOffersTypes"/>; null: any zone).</summary>
    public static WorkerNetwork ForDefaultVpc(string vpcId, string region, IReadOnlyList<SubnetVerdict> defaultSubnets,
        Func<string, bool>? zoneOffersTypes = null)
    {
        if (defaultSubnets.Count == 0)
            throw new AwsConfigurationException($"The default VPC {vpcId} of region {region} has no default subnet left, so EC2 has nowhere " +
                "to launch without one: pass -SubnetId with a subnet whose route table reaches S3.");
        var reasons = string.Join("; ", defaultSubnets.Select(v => v.Reason));
        if (defaultSubnets.All(v => v.ReachesS3 && !v.NeedsPublicIp))
            return new WorkerNetwork(vpcId, null, false, $"default VPC {vpcId}, EC2 chooses among its default subnets: {reasons}");
        var candidates = defaultSubnets.Where(v => zoneOffersTypes?.Invoke(v.Subnet.AvailabilityZone) ?? true).ToList();
        var chosen = candidates.FirstOrDefault(v => v.ReachesS3 && !v.NeedsPublicIp) ?? candidates.FirstOrDefault(v => v.ReachesS3)
            ?? throw (defaultSubnets.Any(v => v.ReachesS3)
                ? new AwsConfigurationException($"The default subnets of VPC {vpcId} that reach S3 are all in zones that do not offer the instance type: " +
                    $"pass -SubnetId with a subnet that reaches S3 in a zone that does, or choose another -InstanceType ({reasons}).")
                : new AwsConfigurationException($"Workers in the default VPC {vpcId} of region {region} would have no way to S3 to fetch their " +
                    $"manifest and scanner: {reasons}. {WhatWouldDo(defaultSubnets[0].RouteTable)}, or pass -SubnetId with a subnet that reaches S3."));
        return new WorkerNetwork(vpcId, chosen.Subnet.SubnetId, chosen.NeedsPublicIp,
            $"default VPC {vpcId}, pinned to {chosen.Subnet.SubnetId} because not every default subnet reaches S3 as it is: {reasons}");
    }

    private static string Describe(RouteTableFacts table) =>
        table.IsMain ? $"route table {table.RouteTableId} (the VPC's main one; none is associated with the subnet)" : $"route table {table.RouteTableId}";

    private static string NoWayOut(RouteTableFacts table)
    {
        var dead = table.Routes.Where(r => !r.Active).Select(r => $"{r.DestinationCidr ?? r.DestinationPrefixListId} → {r.Target} is a blackhole (its target is gone)").ToList();
        var missing = $"no route {AnyIpv4} to an internet or NAT gateway and no route to an S3 gateway endpoint";
        return dead.Count == 0 ? missing : $"{missing} ({string.Join(", ", dead)})";
    }

    private static string WhatWouldDo(RouteTableFacts table) =>
        $"Any one of these on {table.RouteTableId} would do: a route {AnyIpv4} to an internet gateway (the workers then get public IPs), " +
        $"a route {AnyIpv4} to a NAT gateway, or an S3 gateway endpoint associated with it";
}
