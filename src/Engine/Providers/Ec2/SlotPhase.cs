namespace CloudNonce.Engine.Providers.Ec2;

public enum SlotPhase
{
    /// <summary>Waiting for a (re)launch.</summary>
    Unlaunched,
    /// <summary>An instance was started for it; its worker has not reported yet.</summary>
    Booting,
    /// <summary>Its worker has written progress.</summary>
    Scanning,
    /// <summary>Its worker wrote a result, or its range is fully scanned.</summary>
    Done,
    /// <summary>Given up: it failed every attempt, or was lost with too little time left to relaunch
    /// it. Its range from the last checkpoint on stays unscanned.</summary>
    Abandoned,
}
