namespace CloudNonce.Engine.Search;

/// <summary>How one worker attempt ended.</summary>
public enum CndWorkerOutcome
{
    /// <summary>It found a golden nonce, which the controller re-hashed and believed.</summary>
    Found,
    /// <summary>It scanned its whole range.</summary>
    Exhausted,
    /// <summary>Its scan stopped at the deadline.</summary>
    TimeLimit,
    /// <summary>Its scanner was signalled (the instance shutting down) before the end.</summary>
    Cancelled,
    /// <summary>The controller gave up on it (gone, silent, failed, stopped early, or a claim that
    /// failed the re-hash); Detail says why, and the slot was relaunched or given up.</summary>
    Lost,
    /// <summary>It was still at work when the search ended (found elsewhere, time limit, Ctrl+C) and was
    /// terminated with the fleet.</summary>
    Stopped,
}
