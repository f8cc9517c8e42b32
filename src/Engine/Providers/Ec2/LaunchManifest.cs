using System.Text.Json;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>What every instance of one launch reads to find its work (worker/PROTOCOL.md, "Manifest").</summary>
public sealed record LaunchManifest
{
    public required string SearchId { get; init; }
    public required string BlockHex { get; init; }
    public required int Difficulty { get; init; }
    public required string ScannerUrl { get; init; }
    public required string ScannerSha256 { get; init; }
    /// <summary>Unix seconds at which the scan must stop.</summary>
    public required long Deadline { get; init; }
    /// <summary>Seconds between progress reports; fractions allowed.</summary>
    public required double ProgressIntervalSeconds { get; init; }
    public required IReadOnlyList<ManifestSlot> Slots { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, WorkerJson.Options);

    public static LaunchManifest Parse(string json) =>
        WorkerJson.Parse<LaunchManifest>(json, "manifest");
}
