using System.Management.Automation;
using Amazon.Runtime;
using CloudNonce.Cmdlets.Parameters;
using CloudNonce.Engine.Aws;
using CloudNonce.Engine.Providers;

namespace CloudNonce.Cmdlets.Infrastructure;

/// <summary>The AWS parameters every cmdlet that reaches AWS takes, named and aliased as in AWS Tools for
/// PowerShell, together with the session's $StoredAWSCredentials and $StoredAWSRegion (what
/// Set-AWSCredential and Set-DefaultAWSRegion leave); AWS failures turned into error records that say
/// what to fix. This class only collects the values: AwsSession decides which one wins. The parameters
/// are marked EC2-only for the cmdlets that also search locally; the others have no -Provider.</summary>
public abstract class CndAwsCmdlet : CndCmdlet
{
    /// <summary>The session variables of AWS Tools for PowerShell.</summary>
    public const string StoredCredentialsVariable = "StoredAWSCredentials";
    public const string StoredRegionVariable = "StoredAWSRegion";

    [Parameter]
    [ProviderOnly(SearchProviderKind.EC2)]
    [ValidateNotNullOrEmpty]
    public string? Region { get; set; }

    [Parameter]
    [ProviderOnly(SearchProviderKind.EC2)]
    [Alias("StoredCredentials", "AWSProfileName")]
    [ValidateNotNullOrEmpty]
    public string? ProfileName { get; set; }

    [Parameter]
    [ProviderOnly(SearchProviderKind.EC2)]
    [Alias("AWSProfilesLocation", "ProfilesLocation")]
    [ValidateNotNullOrEmpty]
    public string? ProfileLocation { get; set; }

    [Parameter]
    [ProviderOnly(SearchProviderKind.EC2)]
    [ValidateNotNullOrEmpty]
    public string? EndpointUrl { get; set; }

    [Parameter]
    [ProviderOnly(SearchProviderKind.EC2)]
    [Alias("AK")]
    [ValidateNotNullOrEmpty]
    public string? AccessKey { get; set; }

    [Parameter]
    [ProviderOnly(SearchProviderKind.EC2)]
    [Alias("SK", "SecretAccessKey")]
    [ValidateNotNullOrEmpty]
    public string? SecretKey { get; set; }

    [Parameter]
    [ProviderOnly(SearchProviderKind.EC2)]
    [Alias("ST")]
    [ValidateNotNullOrEmpty]
    public string? SessionToken { get; set; }

    [Parameter]
    [ProviderOnly(SearchProviderKind.EC2)]
    [ValidateNotNull]
    public AWSCredentials? Credential { get; set; }

    /// <summary>The AWS parameters and session defaults as given; relative paths are the PowerShell
    /// location's, not the process's.</summary>
    protected AwsSettings AwsSettings() => new(Region, ProfileName, EndpointUrl)
    {
        ProfileLocation = ProfileLocation is null ? null : GetUnresolvedProviderPathFromPSPath(ProfileLocation),
        AccessKey = AccessKey,
        SecretKey = SecretKey,
        SessionToken = SessionToken,
        Credential = Credential,
        SessionCredentials = SessionVariables.Credentials(SessionState.PSVariable.GetValue(StoredCredentialsVariable)),
        SessionRegion = SessionVariables.Region(SessionState.PSVariable.GetValue(StoredRegionVariable)),
    };

    /// <summary>EC2 provider options carrying this cmdlet's AWS settings; callers add their own with `with`.</summary>
    protected Engine.Providers.Ec2.Ec2Options AwsProviderOptions() => new() { Aws = AwsSettings() };

    /// <summary>Region, credentials and endpoints from the parameters, the session, the environment and
    /// the AWS config files; a terminating error when any is missing.</summary>
    protected AwsSession ResolveSession()
    {
        try
        {
            var session = AwsSession.Resolve(AwsSettings());
            WriteVerbose($"AWS region {session.Region} (from {session.RegionSource}), credentials from {session.CredentialSource}.");
            return session;
        }
        catch (AwsConfigurationException e)
        {
            ThrowTerminatingError(AwsError(e, Region));
            throw; // not reached: ThrowTerminatingError always throws
        }
    }

    /// <summary>Runs AWS work off the pipeline thread; AWS failures become terminating errors.</summary>
    protected T RunAws<T>(Func<CancellationToken, Task<T>> work, object? target)
    {
        try
        {
            return RunOffPipeline((_, token) => work(token));
        }
        catch (Exception e) when (IsAwsFailure(e) || AwsPermissionError.Explain(e) is not null)
        {
            ThrowTerminatingError(FailureError(e, target));
            throw;
        }
    }

    protected static bool IsAwsFailure(Exception e) =>
        e is AwsConfigurationException or AmazonServiceException or AmazonClientException;

    /// <summary>The error record for any failure of AWS or engine work: AWS failures keep their AWS
    /// error codes, everything else gets the engine's ids.</summary>
    protected static ErrorRecord FailureError(Exception e, object? target) =>
        AwsPermissionError.Explain(e) is { } refused ? PermissionError(refused, target)
        : IsAwsFailure(e) ? AwsError(e, target) : EngineError(e, target);

    /// <summary>AWS refused a call for lack of permission (possibly inside another failure): the
    /// record names the refused action and the policy the module needs.</summary>
    private static ErrorRecord PermissionError(AwsConfigurationException refused, object? target) =>
        new(refused, "AwsPermissionDenied", ErrorCategory.PermissionDenied, target);

    protected static ErrorRecord AwsError(Exception e, object? target) => e switch
    {
        AwsConfigurationException => new ErrorRecord(e, "AwsConfiguration", ErrorCategory.InvalidArgument, target),
        AmazonServiceException service => new ErrorRecord(e, "Aws." + (service.ErrorCode ?? "ServiceError"),
            service.StatusCode is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.Unauthorized
                ? ErrorCategory.PermissionDenied : ErrorCategory.InvalidOperation, target),
        _ => new ErrorRecord(e, "AwsUnreachable", ErrorCategory.ConnectionError, target),
    };
}
