using System.Management.Automation;
using Amazon.Runtime;
using CloudNonce.Engine.Aws;

namespace CloudNonce.Cmdlets.Infrastructure;

/// <summary>The AWS connection parameters the EC2 cmdlets share (as in AWS Tools for PowerShell), and
/// AWS failures turned into error records that say what to fix.</summary>
public abstract class CndAwsCmdlet : CndCmdlet
{
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Region { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProfileName { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? EndpointUrl { get; set; }

    /// <summary>EC2 provider options carrying this cmdlet's AWS parameters; callers add their own with `with`.</summary>
    protected Engine.Providers.Ec2.Ec2Options AwsProviderOptions() =>
        new() { Region = Region, ProfileName = ProfileName, EndpointUrl = EndpointUrl };

    /// <summary>Region, credentials and endpoints from the parameters, the environment and the AWS
    /// config files; a terminating error when any is missing.</summary>
    protected AwsSession ResolveSession()
    {
        try
        {
            return AwsSession.Resolve(new AwsSettings(Region, ProfileName, EndpointUrl));
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
