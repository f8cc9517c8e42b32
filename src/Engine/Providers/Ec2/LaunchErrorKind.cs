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
