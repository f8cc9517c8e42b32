using Amazon.Runtime;

namespace CloudNonce.Cmdlets.Parameters;

/// <summary>The AWS parameters every cmdlet that reaches AWS takes, named and aliased as in AWS Tools for
/// PowerShell. Offered through <see cref="ParameterGroup{T}"/>: in the EC2 shapes of a cmdlet that also
/// works locally, in every shape of the others.</summary>
public sealed class AwsParameters
{
    [ProviderOnly(SearchProviderKind.EC2)] [ValidateNotNullOrEmpty] public string? Region { get; set; }
    [ProviderOnly(SearchProviderKind.EC2)] [Alias("StoredCredentials", "AWSProfileName")] [ValidateNotNullOrEmpty] public string? ProfileName { get; set; }
    [ProviderOnly(SearchProviderKind.EC2)] [Alias("AWSProfilesLocation", "ProfilesLocation")] [ValidateNotNullOrEmpty] public string? ProfileLocation { get; set; }
    [ProviderOnly(SearchProviderKind.EC2)] [ValidateNotNullOrEmpty] public string? EndpointUrl { get; set; }
    [ProviderOnly(SearchProviderKind.EC2)] [Alias("AK")] [ValidateNotNullOrEmpty] public string? AccessKey { get; set; }
    [ProviderOnly(SearchProviderKind.EC2)] [Alias("SK", "SecretAccessKey")] [ValidateNotNullOrEmpty] public string? SecretKey { get; set; }
    [ProviderOnly(SearchProviderKind.EC2)] [Alias("ST")] [ValidateNotNullOrEmpty] public string? SessionToken { get; set; }
    [ProviderOnly(SearchProviderKind.EC2)] [ValidateNotNull] public AWSCredentials? Credential { get; set; }
}
