using System.Text.Json.Serialization;

namespace CloudNonce.Engine.Providers.Ec2;

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
