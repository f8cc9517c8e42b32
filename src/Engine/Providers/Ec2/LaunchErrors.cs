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
    /// <summary>An account limit: what runs is what the account allows until something ends.</summary>
    Limit,
}

/// <summary>The EC2 error codes of launching (docs: "Error codes for the Amazon EC2 API").</summary>
public static class LaunchErrors
{
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
        _ when Throttling.Contains(errorCode) => LaunchErrorKind.Throttled,
        _ when NoCapacity.Contains(errorCode) => LaunchErrorKind.Capacity,
        _ when AccountLimits.Contains(errorCode) => LaunchErrorKind.Limit,
        _ => LaunchErrorKind.Fatal,
    };

    /// <summary>Whether an on-demand launch could succeed where this spot launch failed: spot capacity,
    /// spot price and the spot instance quota are separate from on-demand ones.</summary>
    public static bool SpotOnly(string? errorCode) => Classify(errorCode) is LaunchErrorKind.Capacity
        || errorCode is "MaxSpotInstanceCountExceeded";
}
