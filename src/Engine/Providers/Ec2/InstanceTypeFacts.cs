using Amazon.EC2;
using Amazon.EC2.Model;
using CloudNonce.Engine.Aws;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>What EC2 says about an instance type that a launch needs: its vCPUs and the processor
/// architectures it runs (DescribeInstanceTypes ProcessorInfo.SupportedArchitectures).</summary>
public sealed record InstanceTypeFacts(string InstanceType, int VCpus, IReadOnlyList<string> SupportedArchitectures)
{
    /// <summary>Reads every type in one call (EC2 takes up to 100); a type the region does not offer is
    /// refused with the region named.</summary>
    public static async Task<IReadOnlyList<InstanceTypeFacts>> DescribeAsync(IAmazonEC2 ec2, IReadOnlyCollection<string> instanceTypes, string region,
        CancellationToken ct)
    {
        var described = new Dictionary<string, InstanceTypeInfo>(StringComparer.OrdinalIgnoreCase);
        var request = new DescribeInstanceTypesRequest { InstanceTypes = instanceTypes.Distinct(StringComparer.OrdinalIgnoreCase).ToList() };
        try
        {
            do
            {
                var response = await ec2.DescribeInstanceTypesAsync(request, ct);
                foreach (var info in response.InstanceTypes ?? [])
                    described[info.InstanceType.Value] = info;
                request.NextToken = response.NextToken;
            } while (!string.IsNullOrEmpty(request.NextToken));
        }
        catch (AmazonEC2Exception e) when (e.ErrorCode is "InvalidInstanceType" or "InvalidParameterValue")
        {
            throw new AwsConfigurationException($"{Naming(instanceTypes)} does not exist in region {region}: {e.Message}", e);
        }
        return instanceTypes.Select(type => described.TryGetValue(type, out var info)
                ? new InstanceTypeFacts(type, info.VCpuInfo?.DefaultVCpus ?? 1, info.ProcessorInfo?.SupportedArchitectures ?? [])
                : throw new AwsConfigurationException($"The instance type '{type}' does not exist in region {region}."))
            .ToList();
    }

    private static string Naming(IReadOnlyCollection<string> types) =>
        types.Count == 1 ? $"The instance type '{types.First()}'" : $"One of the instance types {string.Join(", ", types.Select(t => $"'{t}'"))}";
}
