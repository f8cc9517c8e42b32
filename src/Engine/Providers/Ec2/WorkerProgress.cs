using System.Text.Json;
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
        JsonSerializer.Deserialize<WorkerProgress>(json, WorkerJson.Options) ?? throw new FormatException("The progress object is empty.");
}

/// <summary>A worker's final word (worker/PROTOCOL.md, "Result object"): a scan, or an error.</summary>
public sealed record WorkerResult
{
    public string? SearchId { get; init; }
    /// <summary>null when the worker could not read its slot from the manifest.</summary>
    public int? Slot { get; init; }
    public string? InstanceId { get; init; }
    public int LaunchIndex { get; init; }
    public ScannerResultLine? Scan { get; init; }
    public string? Error { get; init; }
    /// <summary>The steps the worker reached, its scan's end included.</summary>
    public WorkerTimeline? Timeline { get; init; }

    public static WorkerResult Parse(string json) =>
        JsonSerializer.Deserialize<WorkerResult>(json, WorkerJson.Options) ?? throw new FormatException("The result object is empty.");
}

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

/// <summary>The cnd-scan result line, as the scanner prints it (snake_case).</summary>
public sealed record ScannerResultLine
{
    [JsonPropertyName("status")] public string Status { get; init; } = "";
    [JsonPropertyName("found")] public bool Found { get; init; }
    [JsonPropertyName("nonce")] public uint? Nonce { get; init; }
    [JsonPropertyName("hash")] public string? Hash { get; init; }
    [JsonPropertyName("hashes")] public ulong Hashes { get; init; }
    [JsonPropertyName("seconds")] public double Seconds { get; init; }
    [JsonPropertyName("rate")] public double NoncesPerSecond { get; init; }
    [JsonPropertyName("kernel")] public string? Kernel { get; init; }
    [JsonPropertyName("next_nonce")] public ulong NextNonce { get; init; }
}
