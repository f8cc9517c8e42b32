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
    /// <summary>AWS's time, learnt from the responses of every client made here.</summary>
    public ServerClock Clock { get; private set; } = new(TimeProvider.System);

    /// <summary>The profile the credentials come from; null when they come from the environment or,
    /// with no profile named, from the SDK's default chain.</summary>
    private readonly string? _profileName;
    /// <summary>Set when the keys come from the environment, where the SDK knows no expiry.</summary>
    private readonly EnvironmentKeys? _environmentKeys;

    private AwsSession(string region, AWSCredentials credentials, AwsEndpoints endpoints, string? profileName, EnvironmentKeys? environmentKeys)
    {
        Region = region;
        Credentials = credentials;
        Endpoints = endpoints;
        _profileName = profileName;
        _environmentKeys = environmentKeys;
    }

    /// <summary>The region alone, as <see cref="Resolve"/> would find it, without looking for credentials
    /// (which may reach for an instance's metadata service): what a plan needs for its prices. Null
    /// when none is set; throws <see cref="AwsConfigurationException"/> for a profile that does not exist.</summary>
    public static string? RegionOf(AwsSettings settings, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return RegionOf(settings, environment, FindProfile(settings, environment, new CredentialProfileStoreChain(), out _));
    }

    public static AwsSession Resolve(AwsSettings settings, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var profiles = new CredentialProfileStoreChain();
        var profile = FindProfile(settings, environment, profiles, out var profileName);

        var region = RegionOf(settings, environment, profile)
            ?? throw new AwsConfigurationException(
                "No AWS region is set: pass -Region, set AWS_REGION, or put a region in the AWS profile" +
                (profileName is null ? "." : $" '{profileName}'."));
        var endpoints = new AwsEndpoints(settings.EndpointUrl, profile?.EndpointUrl, environment);
        // Keys in the environment come first in the SDK's chain, before AWS_PROFILE; only a profile
        // named to the cmdlet beats them.
        var keys = settings.ProfileName is null ? EnvironmentKeys.From(environment) : null;
        return keys is not null
            ? new AwsSession(region, keys.Credentials, endpoints, null, keys)
            : new AwsSession(region, ResolveCredentials(profileName, profile, profiles), endpoints, profileName, null);
    }

    /// <summary>Obtains the credentials now (an SSO profile asks the portal, a credential_process runs)
    /// and says how long they last, so that nothing outlives them unnoticed. Fails with
    /// <see cref="AwsConfigurationException"/> when they cannot be obtained, saying what to do (an SSO
    /// sign-in that is missing or has expired: "run aws sso login --profile X").</summary>
    public async Task<CredentialLifetime> CredentialLifetimeAsync(CancellationToken ct)
    {
        ImmutableCredentials resolved;
        try
        {
            resolved = await Credentials.GetCredentialsAsync().WaitAsync(ct);
        }
        catch (Exception e) when (e is AmazonClientException or AmazonServiceException or ProcessAWSCredentialException)
        {
            throw CredentialsUnavailable(e);
        }
        return _environmentKeys?.Lifetime ?? CredentialLifetime.Of(Credentials, resolved);
    }

    private AwsConfigurationException CredentialsUnavailable(Exception e)
    {
        if (Credentials is SSOAWSCredentials)
        {
            var profile = _profileName ?? "default";
            return new AwsConfigurationException(
                $"The IAM Identity Center (SSO) sign-in of the AWS profile '{profile}' is missing or has expired: " +
                $"run 'aws sso login --profile {profile}' and try again. ({e.Message})", e);
        }
        return new AwsConfigurationException(
            $"The AWS credentials ({CredentialLifetime.SourceOf(Credentials)}" + (_profileName is null ? "" : $" of the profile '{_profileName}'") +
            $") could not be obtained: {e.Message}", e);
    }

    /// <summary>Bases <see cref="Clock"/> on another local clock (a host's own time source, or a test's).
    /// Clients made afterwards report to the new clock.</summary>
    public AwsSession WithLocalClock(TimeProvider local)
    {
        Clock = new ServerClock(local);
        return this;
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
        config.HttpClientFactory = Clock.HttpClientFactory();
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

    /// <summary>The profile named (to the cmdlet, or in AWS_PROFILE), else the default one if it exists.</summary>
    private static CredentialProfile? FindProfile(AwsSettings settings, Func<string, string?> environment, CredentialProfileStoreChain profiles, out string? profileName)
    {
        profileName = FirstSet(settings.ProfileName, environment("AWS_PROFILE"));
        CredentialProfile? profile = null;
        if (profileName is not null && !profiles.TryGetProfile(profileName, out profile))
            throw new AwsConfigurationException($"The AWS profile '{profileName}' was not found in the shared config or credentials files.");
        if (profileName is null)
            profiles.TryGetProfile("default", out profile);
        return profile;
    }

    private static string? RegionOf(AwsSettings settings, Func<string, string?> environment, CredentialProfile? profile) =>
        FirstSet(settings.Region, environment("AWS_REGION"), environment("AWS_DEFAULT_REGION"), profile?.Region?.SystemName);

    private static string? FirstSet(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
}
