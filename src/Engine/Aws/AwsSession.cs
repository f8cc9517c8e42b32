using Amazon;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.S3;
using Amazon.SecurityToken;
using Amazon.SimpleSystemsManagement;

namespace CloudNonce.Engine.Aws;

/// <summary>A resolved region, credentials and endpoints, and the one place that turns them into
/// SDK clients. Resolution fails with <see cref="AwsConfigurationException"/> before any call is made.</summary>
public sealed class AwsSession
{
    public string Region { get; }
    public AWSCredentials Credentials { get; }
    public AwsEndpoints Endpoints { get; }

    private AwsSession(string region, AWSCredentials credentials, AwsEndpoints endpoints)
    {
        Region = region;
        Credentials = credentials;
        Endpoints = endpoints;
    }

    public static AwsSession Resolve(AwsSettings settings, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var profileName = FirstSet(settings.ProfileName, environment("AWS_PROFILE"));
        CredentialProfile? profile = null;
        var profiles = new CredentialProfileStoreChain();
        if (profileName is not null && !profiles.TryGetProfile(profileName, out profile))
            throw new AwsConfigurationException($"The AWS profile '{profileName}' was not found in the shared config or credentials files.");
        if (profileName is null)
            profiles.TryGetProfile("default", out profile);

        var region = FirstSet(settings.Region, environment("AWS_REGION"), environment("AWS_DEFAULT_REGION"), profile?.Region?.SystemName)
            ?? throw new AwsConfigurationException(
                "No AWS region is set: pass -Region, set AWS_REGION, or put a region in the AWS profile" +
                (profileName is null ? "." : $" '{profileName}'."));
        var endpoints = new AwsEndpoints(settings.EndpointUrl, profile?.EndpointUrl, environment);
        var credentials = settings.ProfileName is null && KeysFrom(environment) is { } keys
            ? keys
            : ResolveCredentials(profileName, profile, profiles);
        return new AwsSession(region, credentials, endpoints);
    }

    // Every client is watched so that a refusal for lack of permission can name the refused action.
    public AmazonEC2Client Ec2() => AwsPermissionError.Watch(new AmazonEC2Client(Credentials, Configure(new AmazonEC2Config(), "EC2")));
    public AmazonSimpleSystemsManagementClient Ssm() =>
        AwsPermissionError.Watch(new AmazonSimpleSystemsManagementClient(Credentials, Configure(new AmazonSimpleSystemsManagementConfig(), "SSM")));
    public AmazonSecurityTokenServiceClient Sts() =>
        AwsPermissionError.Watch(new AmazonSecurityTokenServiceClient(Credentials, Configure(new AmazonSecurityTokenServiceConfig(), "STS")));

    public AmazonS3Client S3()
    {
        var config = Configure(new AmazonS3Config(), "S3");
        // S3-compatible stores and loopback emulators have no per-bucket host names.
        config.ForcePathStyle = config.ServiceURL is not null;
        return AwsPermissionError.Watch(new AmazonS3Client(Credentials, config));
    }

    /// <summary>Whether presigned S3 URLs must say http: the configured S3 endpoint is plain http.</summary>
    public bool S3UsesHttp => Endpoints.For("S3")?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true;

    private T Configure<T>(T config, string serviceId) where T : ClientConfig
    {
        // Our own resolution is the only one, so the SDK must not swap in another endpoint behind it.
        config.IgnoreConfiguredEndpointUrls = true;
        var url = Endpoints.For(serviceId);
        if (url is null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(Region);
        }
        else
        {
            config.ServiceURL = url;
            // Without it the SDK signs for us-east-1 and the endpoint files everything there.
            config.AuthenticationRegion = Region;
        }
        return config;
    }

    /// <summary>AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN): first in the SDK's
    /// chain after an explicit profile, read here so that the environment has one source.</summary>
    private static AWSCredentials? KeysFrom(Func<string, string?> environment)
    {
        var accessKey = FirstSet(environment("AWS_ACCESS_KEY_ID"));
        var secretKey = FirstSet(environment("AWS_SECRET_ACCESS_KEY"));
        if (accessKey is null || secretKey is null)
            return null;
        return FirstSet(environment("AWS_SESSION_TOKEN")) is { } token
            ? new SessionAWSCredentials(accessKey, secretKey, token)
            : new BasicAWSCredentials(accessKey, secretKey);
    }

    private static AWSCredentials ResolveCredentials(string? profileName, CredentialProfile? profile, CredentialProfileStoreChain profiles)
    {
        try
        {
            if (profileName is not null)
            {
                if (profile is not null && profile.CanCreateAWSCredentials && profiles.TryGetAWSCredentials(profileName, out var fromProfile))
                    return fromProfile;
                throw new AwsConfigurationException($"The AWS profile '{profileName}' holds no usable credentials.");
            }
            return DefaultAWSCredentialsIdentityResolver.GetCredentials();
        }
        catch (AmazonClientException e)
        {
            throw new AwsConfigurationException(
                "No AWS credentials were found: pass -ProfileName, set AWS_PROFILE, or set AWS_ACCESS_KEY_ID and " +
                "AWS_SECRET_ACCESS_KEY (or configure ~/.aws/credentials). " + e.Message, e);
        }
    }

    private static string? FirstSet(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
}
