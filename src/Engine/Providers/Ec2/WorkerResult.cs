namespace CloudNonce.Engine.Providers.Ec2;

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
        WorkerJson.Parse<WorkerResult>(json, "result object");
}
