using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using CloudNonce.Engine.Aws;
using CloudNonce.Engine.Providers.Ec2;

namespace CloudNonce.Engine.Tests.Providers.Ec2;

/// <summary>Which zones offer the types, and the refusals of a -SubnetId whose zone lacks one, on the answers EC2 gives (the end-to-end
/// case, against the harness, is in tests/Pester/Ec2Network.Tests.ps1).</summary>
public class ZoneOfferingCheckTests
{
    /// <summary>A region of three zones: one subnet per zone listed in <see cref="Subnets"/>, and the zones each type is offered in.</summary>
    private sealed class OfferingEc2() : AmazonEC2Client(new BasicAWSCredentials("test", "test"),
        new AmazonEC2Config { ServiceURL = "http://127.0.0.1:9", AuthenticationRegion = "eu-west-2" })
    {
        public List<Subnet> Subnets { get; } = [];
        public Dictionary<string, string[]> ZonesOf { get; } = new(StringComparer.Ordinal);
        public int Calls { get; private set; }

        public override Task<DescribeSubnetsResponse> DescribeSubnetsAsync(DescribeSubnetsRequest request, CancellationToken cancellationToken = default)
        {
            Calls++;
            IEnumerable<Subnet> found = Subnets;
            if (request.SubnetIds is { Count: > 0 } ids)
                found = found.Where(s => ids.Contains(s.SubnetId));
            foreach (var filter in request.Filters ?? [])
                found = filter.Name switch
                {
                    "vpc-id" => found.Where(s => filter.Values.Contains(s.VpcId)),
                    "availability-zone" => found.Where(s => filter.Values.Contains(s.AvailabilityZone)),
                    _ => throw new ArgumentException($"unexpected filter {filter.Name}"),
                };
            return Task.FromResult(new DescribeSubnetsResponse { Subnets = found.ToList() });
        }

        public override Task<DescribeInstanceTypeOfferingsResponse> DescribeInstanceTypeOfferingsAsync(DescribeInstanceTypeOfferingsRequest request,
            CancellationToken cancellationToken = default)
        {
            Calls++;
            Assert.Equal(LocationType.AvailabilityZone, request.LocationType);
            var types = request.Filters.Single(f => f.Name == "instance-type").Values;
            var offerings = types.SelectMany(type => ZonesOf.GetValueOrDefault(type, [])
                .Select(zone => new InstanceTypeOffering { InstanceType = type, Location = zone, LocationType = LocationType.AvailabilityZone }));
            return Task.FromResult(new DescribeInstanceTypeOfferingsResponse { InstanceTypeOfferings = offerings.ToList() });
        }

        public void AddSubnet(string id, string zone, string vpc = "vpc-1") => Subnets.Add(new Subnet { SubnetId = id, AvailabilityZone = zone, VpcId = vpc });
    }

    private static async Task<string?> RefusalOf(OfferingEc2 ec2, string subnetId, params string[] types)
    {
        var subnet = ec2.Subnets.Single(s => s.SubnetId == subnetId);
        var zones = await ZoneOfferingCheck.ReadAsync(ec2, types, CancellationToken.None);
        try
        {
            await zones.CheckNamedSubnetAsync(ec2, new SubnetFacts(subnet.SubnetId, subnet.VpcId, false, subnet.AvailabilityZone), CancellationToken.None);
            return null;
        }
        catch (AwsConfigurationException e)
        {
            return e.Message;
        }
    }

    [Fact]
    public async Task A_zone_offers_all_types_only_when_it_offers_each()
    {
        using var ec2 = new OfferingEc2();
        ec2.ZonesOf["c7a.large"] = ["eu-west-2a", "eu-west-2b"];
        ec2.ZonesOf["c7g.large"] = ["eu-west-2a", "eu-west-2b", "eu-west-2c"];
        var zones = await ZoneOfferingCheck.ReadAsync(ec2, ["c7a.large", "c7g.large"], CancellationToken.None);
        Assert.True(zones.OffersAll("eu-west-2a"));
        Assert.False(zones.OffersAll("eu-west-2c"));
        Assert.Equal(1, ec2.Calls);
    }

    [Fact]
    public async Task A_zone_that_offers_every_type_passes()
    {
        using var ec2 = new OfferingEc2();
        ec2.AddSubnet("subnet-a", "eu-west-2a");
        ec2.ZonesOf["c7a.large"] = ["eu-west-2a", "eu-west-2b"];
        ec2.ZonesOf["c7g.large"] = ["eu-west-2a", "eu-west-2b", "eu-west-2c"];
        Assert.Null(await RefusalOf(ec2, "subnet-a", "c7a.large", "c7g.large"));
    }

    [Fact]
    public async Task A_zone_without_the_type_names_the_zones_and_the_VPCs_subnets_that_offer_it()
    {
        using var ec2 = new OfferingEc2();
        ec2.AddSubnet("subnet-c", "eu-west-2c");
        ec2.AddSubnet("subnet-b", "eu-west-2b");
        ec2.AddSubnet("subnet-other-vpc", "eu-west-2a", vpc: "vpc-2");
        ec2.ZonesOf["c7a.large"] = ["eu-west-2b", "eu-west-2a"];

        var message = await RefusalOf(ec2, "subnet-c", "c7a.large");

        Assert.Equal("Instance type c7a.large is not offered in eu-west-2c, the availability zone of -SubnetId 'subnet-c' " +
            "(EC2 would refuse the launch as Unsupported). Zones that offer it: eu-west-2a, eu-west-2b. " +
            "Pass a subnet there (VPC vpc-1 has subnet-b in eu-west-2b), leave out -SubnetId to let EC2 choose the zone, or choose another -InstanceType.",
            message);
    }

    [Fact]
    public async Task Zones_offering_several_missing_types_are_those_offering_all_of_them_and_a_VPC_without_one_says_so()
    {
        using var ec2 = new OfferingEc2();
        ec2.AddSubnet("subnet-c", "eu-west-2c");
        ec2.ZonesOf["c7a.large"] = ["eu-west-2a", "eu-west-2b"];
        ec2.ZonesOf["c8i.large"] = ["eu-west-2b"];

        var message = await RefusalOf(ec2, "subnet-c", "c7a.large", "c8i.large");

        Assert.Contains("Instance types c7a.large, c8i.large are not offered in eu-west-2c", message);
        Assert.Contains("Zones that offer them: eu-west-2b. Pass a subnet in one of them (VPC vpc-1 has none yet)", message);
    }

    [Fact]
    public async Task A_type_no_zone_offers_asks_for_another_type()
    {
        using var ec2 = new OfferingEc2();
        ec2.AddSubnet("subnet-c", "eu-west-2c");

        var message = await RefusalOf(ec2, "subnet-c", "x9z.large");

        Assert.EndsWith("No zone of this region offers it: choose another -InstanceType.", message);
    }
}
