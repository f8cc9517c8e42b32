using Amazon.EC2;
using Amazon.EC2.Model;
using CloudNonce.Engine.Aws;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>An instance type is offered in some of a region's availability zones only (us-east-1e offers
/// few current types; a new type reaches a region's zones one at a time), and RunInstances into a subnet of
/// a zone without it fails "Unsupported" (AWS knowledge center, "ec2-instance-type-not-supported-az-error").
/// Read before the workers' network is chosen, so that a subnet the user names is checked and one the
/// search pins itself is taken from a zone that offers the types; without a subnet EC2 picks the zone.</summary>
public sealed class ZoneOfferingCheck
{
    private readonly IReadOnlyList<string> _types;
    private readonly Dictionary<string, HashSet<string>> _zonesOf;

    private ZoneOfferingCheck(IReadOnlyList<string> types, Dictionary<string, HashSet<string>> zonesOf)
    {
        _types = types;
        _zonesOf = zonesOf;
    }

    /// <summary>For each type, the zones of the region that offer it (DescribeInstanceTypeOfferings by zone).</summary>
    public static async Task<ZoneOfferingCheck> ReadAsync(IAmazonEC2 ec2, IReadOnlyCollection<string> instanceTypes, CancellationToken ct)
    {
        var types = instanceTypes.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var zones = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        var request = new DescribeInstanceTypeOfferingsRequest
        {
            LocationType = LocationType.AvailabilityZone,
            Filters = [new Filter("instance-type", types)],
        };
        do
        {
            var response = await ec2.DescribeInstanceTypeOfferingsAsync(request, ct);
            foreach (var offering in response.InstanceTypeOfferings ?? [])
            {
                if (!zones.TryGetValue(offering.InstanceType.Value, out var set))
                    zones[offering.InstanceType.Value] = set = new HashSet<string>(StringComparer.Ordinal);
                set.Add(offering.Location);
            }
            request.NextToken = response.NextToken;
        } while (!string.IsNullOrEmpty(request.NextToken));
        return new ZoneOfferingCheck(types, zones);
    }

    /// <summary>Whether the zone offers every type.</summary>
    public bool OffersAll(string zone) => _types.All(type => _zonesOf.GetValueOrDefault(type, []).Contains(zone));

    /// <summary>Refuses a subnet the user named whose zone lacks a type, naming the zones and the VPC's
    /// subnets that offer them all.</summary>
    public async Task CheckNamedSubnetAsync(IAmazonEC2 ec2, SubnetFacts subnet, CancellationToken ct)
    {
        var missing = _types.Where(type => !_zonesOf.GetValueOrDefault(type, []).Contains(subnet.AvailabilityZone)).ToList();
        if (missing.Count == 0)
            return;
        var offering = missing.Select(type => _zonesOf.GetValueOrDefault(type, []))
            .Aggregate((a, b) => a.Intersect(b, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal));
        var alternatives = await SubnetsInAsync(ec2, subnet.VpcId, offering, ct);
        throw new AwsConfigurationException(Explain(subnet, missing, offering, alternatives));
    }

    private static async Task<IReadOnlyList<Subnet>> SubnetsInAsync(IAmazonEC2 ec2, string vpcId, IReadOnlySet<string> zones, CancellationToken ct)
    {
        if (zones.Count == 0)
            return [];
        var request = new DescribeSubnetsRequest { Filters = [new Filter("vpc-id", [vpcId]), new Filter("availability-zone", zones.ToList())] };
        return ((await ec2.DescribeSubnetsAsync(request, ct)).Subnets ?? [])
            .OrderBy(s => s.AvailabilityZone, StringComparer.Ordinal).ThenBy(s => s.SubnetId, StringComparer.Ordinal)
            .ToList();
    }

    private static string Explain(SubnetFacts subnet, IReadOnlyList<string> missing, IReadOnlySet<string> offering, IReadOnlyList<Subnet> alternatives)
    {
        var types = missing.Count == 1 ? $"Instance type {missing[0]} is" : $"Instance types {string.Join(", ", missing)} are";
        var what = $"{types} not offered in {subnet.AvailabilityZone}, the availability zone of -SubnetId '{subnet.SubnetId}' " +
            "(EC2 would refuse the launch as Unsupported). ";
        var where = offering.Count == 0
            ? $"No zone of this region offers {(missing.Count == 1 ? "it" : "all of them")}: choose another -InstanceType."
            : $"Zones that offer {(missing.Count == 1 ? "it" : "them")}: {string.Join(", ", offering.Order(StringComparer.Ordinal))}. " +
              (alternatives.Count > 0
                  ? $"Pass a subnet there (VPC {subnet.VpcId} has {string.Join(", ", alternatives.Select(s => $"{s.SubnetId} in {s.AvailabilityZone}"))}), "
                  : $"Pass a subnet in one of them (VPC {subnet.VpcId} has none yet), ") +
              "leave out -SubnetId to let EC2 choose the zone, or choose another -InstanceType.";
        return what + where;
    }
}
