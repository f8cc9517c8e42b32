namespace CloudNonce.Engine.Search;

/// <summary>Why a search ended.</summary>
public enum StopReason
{
    Found,
    Exhausted,
    TimeLimit,
    Cancelled,
    /// <summary>The -MaxCost cap would have been passed before the next poll (EC2).</summary>
    Budget,
}
