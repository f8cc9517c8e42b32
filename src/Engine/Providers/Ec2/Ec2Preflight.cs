using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using CloudNonce.Engine.Aws;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>What a launch needs, checked against the account before anything is created.</summary>
public sealed record LaunchTarget(string AccountId, string ImageId, string InstanceType, int VCpus, WorkerNetwork Network);

/// <summary>Checks credentials, instance type, AMI and the workers' network with read-only calls, so bad input fails with a
/// clear message while nothing exists yet.</summary>
public static class Ec2Preflight
{
    /// <summary>The public SSM parameter naming the current Amazon Linux 2023 x86-64 AMI of a region.</summary>
    public const string DefaultAmiParameter = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

    public static async Task<LaunchTarget> CheckAsync(AwsSession session, Ec2Options options, IAmazonEC2 ec2, CancellationToken ct)
    {
        var account = await AccountIdAsync(session, ct);
        var (vcpus, architectures) = await CheckInstanceTypeAsync(ec2, options.InstanceType, session.Region, ct);
        var image = options.ImageId is null
            ? await LatestAmiAsync(session, ct)
            : await CheckImageAsync(ec2, options.ImageId, options.InstanceType, architectures, session.Region, ct);
        var network = await WorkerNetworkReader.ResolveAsync(ec2, options.SubnetId, session.Region, ct);
        return new LaunchTarget(account, image, options.InstanceType, vcpus, network);
    }

    public static async Task<string> AccountIdAsync(AwsSession session, CancellationToken ct)
    {
        using var sts = session.Sts();
        try
        {
            return (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), ct)).Account;
        }
        catch (AmazonServiceException e)
        {
            throw new AwsConfigurationException($"AWS rejected the credentials ({e.ErrorCode}): {e.Message}", e);
        }
    }

    private static async Task<(int VCpus, IReadOnlyList<string> Architectures)> CheckInstanceTypeAsync(IAmazonEC2 ec2, string instanceType, string region, CancellationToken ct)
    {
        DescribeInstanceTypesResponse response;
        try
        {
            response = await ec2.DescribeInstanceTypesAsync(new DescribeInstanceTypesRequest { InstanceTypes = [instanceType] }, ct);
        }
        catch (AmazonEC2Exception e) when (e.ErrorCode is "InvalidInstanceType" or "InvalidParameterValue")
        {
            throw new AwsConfigurationException($"The instance type '{instanceType}' does not exist in region {region}: {e.Message}", e);
        }
        var info = response.InstanceTypes?.FirstOrDefault()
            ?? throw new AwsConfigurationException($"The instance type '{instanceType}' does not exist in region {region}.");
        var architectures = info.ProcessorInfo?.SupportedArchitectures ?? [];
        if (!architectures.Contains("x86_64"))
            throw new AwsConfigurationException(
                $"The instance type '{instanceType}' runs {string.Join("/", architectures)}; the worker scanner cnd-scan is x86-64 only.");
        return (info.VCpuInfo?.DefaultVCpus ?? 1, architectures);
    }

    private static async Task<string> LatestAmiAsync(AwsSession session, CancellationToken ct)
    {
        using var ssm = session.Ssm();
        try
        {
            return (await ssm.GetParameterAsync(new GetParameterRequest { Name = DefaultAmiParameter }, ct)).Parameter.Value;
        }
        catch (ParameterNotFoundException e)
        {
            throw new AwsConfigurationException(
                $"Region {session.Region} has no public SSM parameter {DefaultAmiParameter} (no Amazon Linux 2023 AMI is published there); " +
                "choose another region or pass an x86-64 Linux AMI as -ImageId.", e);
        }
    }

    /// <summary>A custom image must exist, be visible to the account and run on the instance type; the
    /// worker also needs cloud-init to run its user-data, and bash, curl and coreutils, which only
    /// running it can tell (Amazon Linux 2023, the default, has them all).</summary>
    private static async Task<string> CheckImageAsync(IAmazonEC2 ec2, string imageId, string instanceType, IReadOnlyList<string> typeArchitectures,
        string region, CancellationToken ct)
    {
        Image? image;
        try
        {
            image = (await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId] }, ct)).Images?.FirstOrDefault();
        }
        catch (AmazonEC2Exception e) when (e.ErrorCode.StartsWith("InvalidAMIID", StringComparison.Ordinal))
        {
            throw new AwsConfigurationException($"The AMI '{imageId}' does not exist in region {region} or is not available to this account: {e.Message}", e);
        }
        if (image is null)
            throw new AwsConfigurationException($"The AMI '{imageId}' does not exist in region {region} or is not available to this account.");
        var architecture = image.Architecture?.Value;
        if (architecture is not null && !typeArchitectures.Contains(architecture, StringComparer.OrdinalIgnoreCase))
            throw new AwsConfigurationException(
                $"The AMI '{imageId}' is built for {architecture}, but instance type '{instanceType}' runs {string.Join("/", typeArchitectures)}: " +
                $"pass an {string.Join(" or ", typeArchitectures)} image as -ImageId (one whose cloud-init runs user-data, with bash and curl), " +
                "or leave -ImageId out for the region's Amazon Linux 2023.");
        return imageId;
    }
}
