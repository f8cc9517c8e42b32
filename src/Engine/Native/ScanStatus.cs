namespace CloudNonce.Engine.Native;

/// <summary>How a native scan ended (the non-error cnd_status values).</summary>
public enum ScanStatus
{
    Found = 0,
    Exhausted = 1,
    Cancelled = 2,
    TimeLimit = 3,
}
