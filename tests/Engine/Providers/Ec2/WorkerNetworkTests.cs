using Amazon.EC2.Model;

namespace CloudNonce.Engine.Tests.Providers.Ec2;

public class WorkerNetworkTests
{
    private const string Vpc = "vpc-0a1";
    private const string Endpoint = "vpce-05e";
    private static readonly HashSet<string> S3Endpoints = [Endpoint];
    private static readonly RouteFacts Local = new("10.0.0.0/16", null, "local");
    private static readonly RouteFacts ToInternetGateway = new("0.0.0.0/0", null, "igw-0b2");
    private static readonly RouteFacts ToNatGateway = new("0.0.0.0/0", null, "nat-0c3");
    private static readonly RouteFacts ToS3Endpoint = new(null, "pl-7ca54017", Endpoint);

    private static SubnetFacts Subnet(string id = "subnet-01", bool mapsPublicIp = false) => new(id, Vpc, mapsPublicIp);
    private static RouteTableFacts Table(params RouteFacts[] routes) => new("rtb-0d4", false, routes);
    private static SubnetVerdict Judge(SubnetFacts subnet, params RouteFacts[] routes) => S3Reachability.Judge(subnet, Table(routes), S3Endpoints);

    private static void AssertSays(string message, params string[] parts)
    {
        foreach (var part in parts)
            Assert.Contains(part, message);
    }

    /// <summary>An internet gateway with mapped public IPs needs nothing; without the mapping the launch asks
    /// for a public IP; a NAT gateway needs none.</summary>
    [Theory]
    [InlineData("igw-0b2", true, S3Path.InternetGateway, false, "route 0.0.0.0/0 → igw-0b2, public IPs mapped on launch")]
    [InlineData("igw-0b2", false, S3Path.InternetGatewayWithRequestedPublicIp, true, "route 0.0.0.0/0 → igw-0b2, no public IP mapping: asking for one")]
    [InlineData("nat-0c3", false, S3Path.NatGateway, false, "route 0.0.0.0/0 → nat-0c3 (NAT gateway)")]
    public void ADefaultRouteToAGatewayReachesS3(string gateway, bool mapsPublicIp, S3Path path, bool needsPublicIp, string route)
    {
        var verdict = Judge(Subnet(mapsPublicIp: mapsPublicIp), Local, new RouteFacts("0.0.0.0/0", null, gateway));
        Assert.Equal(path, verdict.Path);
        Assert.Equal(needsPublicIp, verdict.NeedsPublicIp);
        Assert.Equal($"subnet-01: route table rtb-0d4: {route}", verdict.Reason);
    }

    [Fact]
    public void AnS3GatewayEndpointIsEnoughOnItsOwn()
    {
        Assert.Equal(S3Path.GatewayEndpoint, Judge(Subnet(), Local, ToS3Endpoint).Path);
    }

    [Fact]
    public void AnS3GatewayEndpointWinsOverAnInternetGatewaySoNoPublicIpIsAskedFor()
    {
        var verdict = Judge(Subnet(), Local, ToInternetGateway, ToS3Endpoint);
        Assert.Equal(S3Path.GatewayEndpoint, verdict.Path);
        Assert.False(verdict.NeedsPublicIp);
    }

    [Fact]
    public void AGatewayEndpointOfAnotherServiceIsNoWayToS3()
    {
        var dynamoDb = new RouteFacts(null, "pl-66a5400f", "vpce-0dd");
        Assert.Equal(S3Path.None, Judge(Subnet(), Local, dynamoDb).Path);
    }

    [Fact]
    public void OnlyTheLocalRouteIsNoWayToS3()
    {
        var verdict = Judge(Subnet(), Local);
        Assert.Equal(S3Path.None, verdict.Path);
        Assert.False(verdict.ReachesS3);
        Assert.Contains("no route 0.0.0.0/0 to an internet or NAT gateway and no route to an S3 gateway endpoint", verdict.Reason);
    }

    [Fact]
    public void ABlackholeRouteIsNoWayToS3AndTheReasonSaysSo()
    {
        var verdict = Judge(Subnet(), Local, ToNatGateway with { Active = false });
        Assert.Equal(S3Path.None, verdict.Path);
        Assert.Contains("0.0.0.0/0 → nat-0c3 is a blackhole", verdict.Reason);
    }

    [Theory]
    [InlineData("tgw-0e5")]
    [InlineData("eni-0f6")]
    [InlineData("pcx-0a7")]
    public void ADefaultRouteToAnotherTargetIsTakenButNotVouchedFor(string target)
    {
        var verdict = Judge(Subnet(), Local, new RouteFacts("0.0.0.0/0", null, target));
        Assert.Equal(S3Path.UncheckedTarget, verdict.Path);
        Assert.True(verdict.ReachesS3);
        Assert.Contains($"→ {target}, not checked beyond it", verdict.Reason);
    }

    [Fact]
    public void TheReasonNamesTheMainRouteTableWhenTheSubnetHasNoneOfItsOwn()
    {
        var verdict = S3Reachability.Judge(Subnet(), new RouteTableFacts("rtb-main", true, [Local]), S3Endpoints);
        Assert.Contains("route table rtb-main (the VPC's main one; none is associated with the subnet)", verdict.Reason);
    }

    [Fact]
    public void ANamedSubnetWithoutAWayToS3IsRefusedSayingWhichSubnetTableAndWhatWouldDo()
    {
        var e = Assert.Throws<AwsConfigurationException>(() => S3Reachability.ForSubnet(Judge(Subnet("subnet-0dead"), Local)));
        AssertSays(e.Message,
            "subnet-0dead (vpc-0a1) would have no way to S3",
            "rtb-0d4",
            "an internet gateway",
            "a NAT gateway",
            "an S3 gateway endpoint",
            "-SubnetId");
    }

    [Fact]
    public void ANamedSubnetIsPinnedAndAsksForAPublicIpOnlyWhenItNeedsOne()
    {
        var mapped = S3Reachability.ForSubnet(Judge(Subnet(mapsPublicIp: true), Local, ToInternetGateway));
        Assert.Equal(new WorkerNetwork(Vpc, "subnet-01", false, mapped.Explanation), mapped);
        var unmapped = S3Reachability.ForSubnet(Judge(Subnet(), Local, ToInternetGateway));
        Assert.True(unmapped.AssociatePublicIp);
        Assert.Equal("subnet subnet-01: route table rtb-0d4: route 0.0.0.0/0 → igw-0b2, no public IP mapping: asking for one", unmapped.Explanation);
    }

    [Fact]
    public void ADefaultVpcWhoseSubnetsAllReachS3LetsEc2ChooseTheSubnet()
    {
        var network = S3Reachability.ForDefaultVpc(Vpc, "eu-west-2",
            [Judge(Subnet("subnet-a", true), Local, ToInternetGateway), Judge(Subnet("subnet-b", true), Local, ToInternetGateway)]);
        Assert.Null(network.SubnetId);
        Assert.False(network.AssociatePublicIp);
        Assert.Equal(Vpc, network.VpcId);
        Assert.StartsWith("default VPC vpc-0a1, EC2 chooses among its default subnets: subnet-a: ", network.Explanation);
    }

    [Fact]
    public void ADefaultVpcIsPinnedToASubnetThatNeedsNoPublicIpWhenOneDoes()
    {
        var network = S3Reachability.ForDefaultVpc(Vpc, "eu-west-2",
            [Judge(Subnet("subnet-a"), Local, ToInternetGateway), Judge(Subnet("subnet-b"), Local), Judge(Subnet("subnet-c", true), Local, ToInternetGateway)]);
        Assert.Equal("subnet-c", network.SubnetId);
        Assert.False(network.AssociatePublicIp);
        Assert.Contains("pinned to subnet-c", network.Explanation);
    }

    [Fact]
    public void ADefaultVpcIsPinnedOnlyToASubnetInAZoneThatOffersTheTypes()
    {
        SubnetFacts InZone(string id, string zone) => new(id, Vpc, true, zone);
        var verdicts = new[] { Judge(InZone("subnet-e", "us-east-1e"), Local, ToInternetGateway), Judge(Subnet("subnet-b"), Local),
            Judge(InZone("subnet-f", "us-east-1f"), Local, ToInternetGateway) };

        var network = S3Reachability.ForDefaultVpc(Vpc, "us-east-1", verdicts, zone => zone != "us-east-1e");
        Assert.Equal("subnet-f", network.SubnetId);

        var e = Assert.Throws<AwsConfigurationException>(() => S3Reachability.ForDefaultVpc(Vpc, "us-east-1", verdicts, zone => false));
        AssertSays(e.Message, "default subnets of VPC vpc-0a1 that reach S3 are all in zones that do not offer the instance type", "pass -SubnetId");
    }

    [Fact]
    public void ADefaultVpcWhoseSubnetsMapNoPublicIpIsPinnedAndAsksForOne()
    {
        var network = S3Reachability.ForDefaultVpc(Vpc, "eu-west-2", [Judge(Subnet("subnet-a"), Local, ToInternetGateway), Judge(Subnet("subnet-b"), Local, ToInternetGateway)]);
        Assert.Equal("subnet-a", network.SubnetId);
        Assert.True(network.AssociatePublicIp);
    }

    [Fact]
    public void ADefaultVpcWithNoWayToS3IsRefusedNamingEachSubnet()
    {
        var e = Assert.Throws<AwsConfigurationException>(() => S3Reachability.ForDefaultVpc(Vpc, "eu-west-2",
            [Judge(Subnet("subnet-a"), Local), Judge(Subnet("subnet-b"), Local)]));
        AssertSays(e.Message,
            "default VPC vpc-0a1 of region eu-west-2 would have no way to S3",
            "subnet-a: route table rtb-0d4",
            "subnet-b: route table rtb-0d4",
            "pass -SubnetId");
    }

    [Fact]
    public void ADefaultVpcWithoutDefaultSubnetsIsRefused()
    {
        var e = Assert.Throws<AwsConfigurationException>(() => S3Reachability.ForDefaultVpc(Vpc, "eu-west-2", []));
        AssertSays(e.Message,
            "no default subnet",
            "-SubnetId");
    }

    [Fact]
    public void ALaunchThatAsksForAPublicIpCarriesSubnetAndGroupOnItsNetworkInterface()
    {
        var request = new RunInstancesRequest();
        new WorkerNetwork(Vpc, "subnet-01", true, "").ApplyTo(request, "sg-01");
        var nic = Assert.Single(request.NetworkInterfaces);
        Assert.Equal(0, nic.DeviceIndex);
        Assert.Equal("subnet-01", nic.SubnetId);
        Assert.Equal(["sg-01"], nic.Groups);
        Assert.True(nic.AssociatePublicIpAddress);
        // EC2 refuses a launch that names groups both on the request and on an interface.
        Assert.True(request.SecurityGroupIds is null || request.SecurityGroupIds.Count == 0);
        Assert.Null(request.SubnetId);
    }

    [Theory]
    [InlineData("subnet-01")]
    [InlineData(null)]
    public void ALaunchThatNeedsNoPublicIpNamesTheSubnetAndGroupOnTheRequest(string? subnetId)
    {
        var request = new RunInstancesRequest();
        new WorkerNetwork(Vpc, subnetId, false, "").ApplyTo(request, "sg-01");
        Assert.Equal(["sg-01"], request.SecurityGroupIds);
        Assert.Equal(subnetId, request.SubnetId);
        Assert.True(request.NetworkInterfaces is null || request.NetworkInterfaces.Count == 0);
    }
}
