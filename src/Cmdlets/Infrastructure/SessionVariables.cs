using System.Reflection;
using Amazon.Runtime;

namespace CloudNonce.Cmdlets.Infrastructure;

/// <summary>Reads what AWS Tools for PowerShell keeps in the session, without depending on it:
/// Set-AWSCredential stores its credentials in $StoredAWSCredentials wrapped in its own type
/// (AWSPSCredentials, which holds them in a non-public Credentials property); a script may also put an
/// AWSCredentials object there itself. Set-DefaultAWSRegion stores the region's name in $StoredAWSRegion.</summary>
internal static class SessionVariables
{
    public static AWSCredentials? Credentials(object? value) => Unwrap(value) switch
    {
        null => null,
        AWSCredentials credentials => credentials,
        var wrapper => wrapper.GetType().GetProperty("Credentials", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)?.GetValue(wrapper) as AWSCredentials
            ?? throw new PSArgumentException(
                $"${CndAwsCmdlet.StoredCredentialsVariable} holds a {wrapper.GetType().FullName}, not AWS credentials: set it with Set-AWSCredential " +
                $"or to an Amazon.Runtime.AWSCredentials object, or remove it (Remove-Variable {CndAwsCmdlet.StoredCredentialsVariable})."),
    };

    /// <summary>A region name; AWS Tools' own region objects print as their name.</summary>
    public static string? Region(object? value) => Unwrap(value) switch
    {
        null => null,
        string name => name,
        Amazon.RegionEndpoint endpoint => endpoint.SystemName,
        var other => other.GetType().GetProperty("Region")?.GetValue(other) as string ?? other.ToString(),
    };

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
