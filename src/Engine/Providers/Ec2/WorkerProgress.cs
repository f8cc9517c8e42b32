using System.Text.Json.Serialization;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>A worker's latest checkpoint (worker/PROTOCOL.md, "Progress object").</summary>
public sealed record WorkerProgress
{
    public string? SearchId { get; init; }
    public int Slot { get; init; }
    public string? InstanceId { get; init; }
    public int LaunchIndex { get; init; }
    /// <summary>Every nonce of the slot below this has been scanned.</summary>
    public ulong NextNonce { get; init; }
    public ulong Hashes { get; init; }
    [JsonPropertyName("rate")] public double NoncesPerSecond { get; init; }
    public double Seconds { get; init; }
    /// <summary>When the worker reached each step; absent from workers older than this field.</summary>
    public WorkerTimeline? Timeline { get; init; }

    public static WorkerProgress Parse(string json) =>
        WorkerJson.Parse<WorkerProgress>(json, "progress object");
}
