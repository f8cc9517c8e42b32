using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudNonce.Engine.Platform;
using CloudNonce.Engine.Providers.Ec2;

namespace CloudNonce.Engine.Performance;

/// <summary>Per-instance-type rates measured by Measure-CndPerformance -Provider EC2, kept in the
/// user's CloudNonce data folder (rates.json) so later plans use them instead of the documented table.
/// The folder is <see cref="HostPlatform.DataFolder"/> ($CLOUDNONCE_DATA_HOME when set, else the
/// platform's per-user data folder). The file is small JSON a user may read, edit or delete.</summary>
public sealed class Ec2RateCache(string path)
{
    public const string FileName = "rates.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string Path { get; } = path;

    /// <summary>The cache in the user's data folder.</summary>
    public static Ec2RateCache Default => new(System.IO.Path.Combine(HostPlatform.Current.DataFolder, FileName));

    /// <summary><paramref name="options"/> with the measured rate of its instance type, when one was
    /// measured. A cache that cannot be read is reported through <paramref name="warn"/>, never fatal.</summary>
    public Ec2Options WithMeasuredRate(Ec2Options options, Action<string>? warn = null)
    {
        var measured = Find(options.InstanceType, out var problem);
        if (problem is not null) warn?.Invoke(problem);
        return measured is null ? options : options with { MeasuredRate = measured };
    }

    /// <summary>The measured rate of a type, or null when it was never measured. A file that cannot
    /// be read is not a reason to fail a search: <paramref name="problem"/> says why it was ignored.</summary>
    public InstanceTypeRate? Find(string instanceType, out string? problem)
    {
        problem = null;
        try
        {
            if (Read()?[instanceType] is not JsonObject entry) return null;
            var measuredAt = entry["measuredAt"]?.GetValue<string>() ?? "?";
            var where = entry["where"]?.GetValue<string>() ?? "?";
            return new InstanceTypeRate(instanceType, entry["noncesPerSecond"]!.GetValue<double>(),
                TimeSpan.FromSeconds(entry["bootSeconds"]!.GetValue<double>()), $"measured {measuredAt} on {where}, {Path}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            problem = $"The measured rates in {Path} were ignored: {e.Message}";
            return null;
        }
    }

    /// <summary>Records (or replaces) the measured figures of one instance type; other types stay.</summary>
    public void Save(string instanceType, double noncesPerSecond, TimeSpan bootOverhead, string where, DateTimeOffset measuredAt)
    {
        JsonObject rates;
        try
        {
            rates = Read()?.DeepClone().AsObject() ?? [];
        }
        catch (JsonException)
        {
            rates = []; // a damaged cache is replaced by the new measurement rather than blocking it
        }
        rates[instanceType] = new JsonObject
        {
            ["noncesPerSecond"] = noncesPerSecond,
            ["bootSeconds"] = Math.Round(bootOverhead.TotalSeconds, 3),
            ["where"] = where,
            ["measuredAt"] = measuredAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        var temporary = Path + ".new";
        File.WriteAllText(temporary, new JsonObject { ["rates"] = rates }.ToJsonString(Indented));
        File.Move(temporary, Path, overwrite: true);
    }

    private JsonObject? Read() =>
        File.Exists(Path) ? (JsonNode.Parse(File.ReadAllText(Path))?["rates"] as JsonObject) : null;
}
