using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

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
        JsonSerializer.Deserialize<LaunchManifest>(json, WorkerJson.Options) ?? throw new FormatException("The manifest is empty.");
}

/// <summary>The work of the instance whose ami-launch-index is <see cref="LaunchIndex"/>.</summary>
public sealed record ManifestSlot
{
    public required int LaunchIndex { get; init; }
    public required int Slot { get; init; }
    /// <summary>Which launch of the slot this is (0 first); workers ignore it, fleet listings use it.</summary>
    public required int Attempt { get; init; }
    public required uint Start { get; init; }
    public required uint End { get; init; }
    public required string ProgressUrl { get; init; }
    public required string ResultUrl { get; init; }
}

/// <summary>The JSON conventions of the controller ⇄ worker objects.</summary>
internal static class WorkerJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        // Presigned URLs stay readable ('&', not \u0026) for the bootstrap's small JSON reader.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
