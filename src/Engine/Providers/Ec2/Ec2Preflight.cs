using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using CloudNonce.Engine.Aws;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Checks credentials, instance type, AMI, the workers' network and that the subnet's zone offers the type, with read-only calls, so bad input fails with a
/// clear message while nothing exists yet.</summary>
public static class Ec2Preflight
{
    public static async Task<LaunchTarget> CheckAsync(AwsSession session, Ec2Options options, IAmazonEC2 ec2, CancellationToken ct) =>
        (await CheckAsync(session, options, [options.InstanceType], ec2, ct))[0];

    /// <summary>One target per instance type, in the order given. The types' architectures are checked as a
    /// set (<see cref="ArchitectureCheck"/>): without -ImageId each architecture gets the region's current
    /// Amazon Linux 2023 AMI for it; a custom image must match every type.</summary>
    public static async Task<IReadOnlyList<LaunchTarget>> CheckAsync(AwsSession session, Ec2Options options, IReadOnlyList<string> instanceTypes,
        IAmazonEC2 ec2, CancellationToken ct)
    {
        var account = await AccountIdAsync(session, ct);
        var types = await InstanceTypeFacts.DescribeAsync(ec2, instanceTypes, session.Region, ct);
        var architectures = ArchitectureCheck.Of(types);
        if (options.ImageId is not null)
            await CheckImageAsync(ec2, options.ImageId, architectures, session.Region, ct);
        var images = new Dictionary<WorkerArchitecture, string>();
        foreach (var architecture in ArchitectureCheck.Needed(architectures))
            images[architecture] = options.ImageId ?? await LatestAmiAsync(session, architecture, ct);
        var zones = await ZoneOfferingCheck.ReadAsync(ec2, instanceTypes, ct);
        var network = await WorkerNetworkReader.ResolveAsync(ec2, options.SubnetId, session.Region, zones, ct);
        return types.Select(t =>
        {
            var architecture = architectures[t.InstanceType];
            return new LaunchTarget(account, images[architecture], t.InstanceType, t.VCpus, network, architecture);
        }).ToList();
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

    /// <summary>The region's current Amazon Linux 2023 AMI for the architecture, from AWS's public SSM parameter.</summary>
    private static async Task<string> LatestAmiAsync(AwsSession session, WorkerArchitecture architecture, CancellationToken ct)
    {
        using var ssm = session.Ssm();
        try
        {
            return (await ssm.GetParameterAsync(new GetParameterRequest { Name = architecture.AmiParameter }, ct)).Parameter.Value;
        }
        catch (ParameterNotFoundException e)
        {
            throw new AwsConfigurationException(
                $"Region {session.Region} has no public SSM parameter {architecture.AmiParameter} (no Amazon Linux 2023 {architecture} AMI is published there); " +
                $"choose another region or pass an {architecture} Linux AMI as -ImageId.", e);
        }
    }

    /// <summary>A custom image must exist, be visible to the account and run on every instance type; the
    /// worker also needs cloud-init to run its user-data, and bash, curl and coreutils, which only
    /// running it can tell (Amazon Linux 2023, the default, has them all).</summary>
    private static async Task CheckImageAsync(IAmazonEC2 ec2, string imageId, IReadOnlyDictionary<string, WorkerArchitecture> architectures,
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
        ArchitectureCheck.CheckImage(imageId, image.Architecture?.Value, architectures);
    }
}
