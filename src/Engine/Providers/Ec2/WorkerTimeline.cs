namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>When a worker reached each of its steps (worker/PROTOCOL.md, "Timeline"), in Unix seconds
/// of the instance's clock (which EC2 keeps in AWS's time); null for a step not reached.</summary>
public sealed record WorkerTimeline
{
    /// <summary>Its user-data began: the instance had booted.</summary>
    public double? Booted { get; init; }
    public double? ScannerDownloaded { get; init; }
    public double? ScannerVerified { get; init; }
    public double? ScanStarted { get; init; }
    /// <summary>Only in the result object.</summary>
    public double? ScanEnded { get; init; }

    public static DateTimeOffset? Time(double? unixSeconds) =>
        unixSeconds is { } s && double.IsFinite(s) && s > 0 ? DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(s * TimeSpan.TicksPerSecond)) : null;
}
