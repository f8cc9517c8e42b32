using System.Reflection;
using Amazon.Runtime;
using CloudNonce.Engine.Aws;

namespace CloudNonce.Cmdlets.Infrastructure;

/// <summary>The AWS parameters every cmdlet that reaches AWS takes, named and aliased as in AWS Tools for
/// PowerShell, together with the session's $StoredAWSCredentials and $StoredAWSRegion (what
/// Set-AWSCredential and Set-DefaultAWSRegion leave); AWS failures turned into error records that say
/// what to fix. This class only collects the values: AwsSession decides which one wins. The parameters
/// (AwsParameters) are in the EC2 shapes of the cmdlets that also work locally, in every shape of the
/// others.</summary>
public abstract class CndAwsCmdlet : CndCmdlet, IDynamicParameters
{
    /// <summary>The session variables of AWS Tools for PowerShell.</summary>
    public const string StoredCredentialsVariable = "StoredAWSCredentials";
    public const string StoredRegionVariable = "StoredAWSRegion";

    private ParameterGroup<AwsParameters>? _aws;
    private RuntimeDefinedParameterDictionary? _dynamicParameters;

    /// <summary>The parameter sets the AWS parameters (and a cmdlet's other EC2-only groups) belong to:
    /// none, every set, for a cmdlet that only works on AWS.</summary>
    protected virtual IReadOnlyList<string> Ec2ParameterSets => [];

    /// <summary>The AWS parameters as given.</summary>
    protected AwsParameters Aws => AwsGroup.Values;

    private ParameterGroup<AwsParameters> AwsGroup => _aws ??= new(Ec2ParameterSets);

    /// <summary>The groups of parameters this cmdlet offers as dynamic parameters, in the order its
    /// syntax lists them: a cmdlet's own groups first, the AWS parameters last.</summary>
    private protected virtual IEnumerable<IParameterGroup> ParameterGroups => [AwsGroup];

    /// <summary>The groups' parameters in their own sets, which is what Get-Command, the help generator
    /// and tab completion show: they ask with MyInvocation.BoundParameters empty (completion sets the
    /// line's values on a scratch instance without recording them there: seen on PowerShell 7.6, and the
    /// completion tests fail if that changes). A running command has recorded the static parameters it
    /// bound before it asks; there the groups join every set, so that a line mixing the shapes
    /// (-Threads 2 -InstanceType c7i.large) binds and RequireParametersFor names what does not fit,
    /// instead of PowerShell's "parameter set cannot be resolved".</summary>
    public object GetDynamicParameters()
    {
        if (_dynamicParameters is null)
        {
            var running = MyInvocation.BoundParameters.Count > 0;
            _dynamicParameters = new RuntimeDefinedParameterDictionary();
            foreach (var group in ParameterGroups) group.AddTo(_dynamicParameters, running);
        }
        return _dynamicParameters;
    }

    /// <summary>The AWS parameters and session defaults as given; relative paths are the PowerShell
    /// location's, not the process's.</summary>
    protected AwsSettings AwsSettings() => new(Aws.Region, Aws.ProfileName, Aws.EndpointUrl)
    {
        ProfileLocation = Aws.ProfileLocation is null ? null : GetUnresolvedProviderPathFromPSPath(Aws.ProfileLocation),
        AccessKey = Aws.AccessKey,
        SecretKey = Aws.SecretKey,
        SessionToken = Aws.SessionToken,
        Credential = Aws.Credential,
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
            ThrowTerminatingError(AwsError(e, Aws.Region));
            throw; // not reached: ThrowTerminatingError always throws
        }
    }

    /// <summary>Refuses the bound parameters marked <see cref="ProviderOnlyAttribute"/> for another
    /// provider than the one chosen, naming them all. The parameter sets keep most of these apart; what
    /// they let through is a provider-only parameter with -Provider naming the other provider (or none,
    /// which is Local).</summary>
    protected void RequireParametersFor(SearchProviderKind provider)
    {
        var misplaced = MyInvocation.BoundParameters.Keys
            .Select(name => (Name: name, Only: ProviderOnly(name)))
            .Where(p => p.Only is not null && p.Only.Provider != provider)
            .ToList();
        if (misplaced.Count == 0) return;
        var owner = misplaced[0].Only!.Provider;
        var names = "-" + string.Join(", -", misplaced.Select(p => p.Name));
        var instead = string.Join(" ", misplaced.Select(p => p.Only!.Instead).OfType<string>().Distinct());
        ThrowTerminatingError(ParameterConflict(owner == SearchProviderKind.EC2 ? "Ec2OptionNeedsEc2Provider" : "LocalOptionWithEc2Provider",
            $"{names} appl{(misplaced.Count == 1 ? "ies" : "y")} to -Provider {owner} only, not -Provider {provider}." + (instead.Length > 0 ? " " + instead : ""),
            provider));
    }

    private ProviderOnlyAttribute? ProviderOnly(string name) =>
        GetType().GetProperty(name)?.GetCustomAttribute<ProviderOnlyAttribute>()
        ?? ParameterGroups.Select(g => g.ProviderOnly(name)).FirstOrDefault(a => a is not null);

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
