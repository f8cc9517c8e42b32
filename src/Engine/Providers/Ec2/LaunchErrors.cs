using System.Globalization;
using System.Text.RegularExpressions;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>How the controller reacts to a RunInstances error.</summary>
public enum LaunchErrorKind
{
    /// <summary>Anything else: a bad request that no retry fixes.</summary>
    Fatal,
    /// <summary>The API throttled us: wait and try again.</summary>
    Throttled,
    /// <summary>EC2 has no capacity for the type (in that market) right now: it comes back, so retry
    /// with back-off; a spot shortfall may fall back to on-demand.</summary>
    Capacity,
    /// <summary>An account limit: what runs is what the account allows until something ends. A call
    /// asking for more than the quota is refused as a whole, so a smaller one may still succeed.</summary>
    Limit,
    /// <summary>The account has no service-linked role for spot and these credentials may not create it:
    /// no spot launch can work until someone creates it; on-demand is unaffected.</summary>
    SpotRoleMissing,
}

/// <summary>The EC2 error codes of launching (docs: "Error codes for the Amazon EC2 API").</summary>
public static partial class LaunchErrors
{
    public const string SpotRoleNotPermitted = "AuthFailure.ServiceLinkedRoleCreationNotPermitted";

    private static readonly HashSet<string> Throttling = new(StringComparer.Ordinal)
    {
        "RequestLimitExceeded", "Throttling", "ThrottlingException",
    };

    private static readonly HashSet<string> NoCapacity = new(StringComparer.Ordinal)
    {
        "InsufficientInstanceCapacity", "InsufficientCapacity", "InsufficientHostCapacity", "InsufficientReservedInstanceCapacity",
        "Unavailable", "SpotMaxPriceTooLow", "InsufficientFreeAddressesInSubnet",
    };

    private static readonly HashSet<string> AccountLimits = new(StringComparer.Ordinal)
    {
        "VcpuLimitExceeded", "InstanceLimitExceeded", "MaxSpotInstanceCountExceeded",
    };

    public static LaunchErrorKind Classify(string? errorCode) => errorCode switch
    {
        null => LaunchErrorKind.Fatal,
        SpotRoleNotPermitted => LaunchErrorKind.SpotRoleMissing,
        _ when Throttling.Contains(errorCode) => LaunchErrorKind.Throttled,
        _ when NoCapacity.Contains(errorCode) => LaunchErrorKind.Capacity,
        _ when AccountLimits.Contains(errorCode) => LaunchErrorKind.Limit,
        _ => LaunchErrorKind.Fatal,
    };

    /// <summary>Whether an on-demand launch could succeed where this spot launch failed: spot capacity,
    /// spot price, the spot instance quota and the spot service-linked role are separate from on-demand.</summary>
    public static bool SpotOnly(string? errorCode) => Classify(errorCode) is LaunchErrorKind.Capacity or LaunchErrorKind.SpotRoleMissing
        || errorCode is "MaxSpotInstanceCountExceeded";

    /// <summary>What the user can do about the spot role refusal.</summary>
    public const string SpotRoleAdvice =
        "EC2 needs the service-linked role AWSServiceRoleForEC2Spot to launch spot instances, and these credentials may not create it " +
        "(iam:CreateServiceLinkedRole). Create it once for the account (aws iam create-service-linked-role --aws-service-name spot.amazonaws.com), " +
        "or run on-demand (leave out -Spot, or add -SpotFallback)";

    /// <summary>The limit a quota refusal names ("... your current vCPU limit of 32 allows ..."), when it names one.</summary>
    public static int? QuotaIn(string? message) =>
        message is not null && QuotaNumber().Match(message) is { Success: true } match
            ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : null;

    [GeneratedRegex(@"limit of (\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex QuotaNumber();
}
