namespace CloudNonce.Engine.Search;

/// <summary>Why a search ended.</summary>
public enum StopReason
{
    Found,
    Exhausted,
    TimeLimit,
    Cancelled,
}
