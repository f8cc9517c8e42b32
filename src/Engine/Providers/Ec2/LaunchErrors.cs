using System.Globalization;
using System.Text.RegularExpressions;

namespace CloudNonce.Engine.Providers.Ec2;

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
