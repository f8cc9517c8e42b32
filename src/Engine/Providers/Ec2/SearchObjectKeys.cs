using System.Globalization;
using System.Text.RegularExpressions;
using CloudNonce.Engine.Aws;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Where each object of a search lives in the module bucket (worker/PROTOCOL.md).</summary>
public static partial class SearchObjectKeys
{
    /// <summary>Content-addressed, so every search with the same binary shares one upload.</summary>
    public static string Scanner(string sha256Hex) => $"scanners/{sha256Hex}/cnd-scan";

    public static string SearchPrefix(string searchId) => $"{ModuleBucket.SearchPrefix}{searchId}/";

    public static string Manifest(string searchId, int launch) => $"{SearchPrefix(searchId)}launch-{launch}.json";

    /// <summary>Every worker report of the search, and nothing else (the manifests sort before it).</summary>
    public static string ReportsPrefix(string searchId) => $"{SearchPrefix(searchId)}slot-";

    /// <summary>Per slot and attempt, so a relaunched slot never reads its predecessor's reports.</summary>
    public static string Progress(string searchId, int slot, int attempt) => $"{SearchPrefix(searchId)}slot-{slot}/attempt-{attempt}/progress.json";

    public static string Result(string searchId, int slot, int attempt) => $"{SearchPrefix(searchId)}slot-{slot}/attempt-{attempt}/result.json";

    /// <summary>Which slot, attempt and kind of report a key under the search prefix holds.</summary>
    public static bool TryParseReport(string key, out int slot, out int attempt, out bool isResult)
    {
        var match = ReportKey().Match(key);
        slot = attempt = 0;
        isResult = false;
        if (!match.Success)
            return false;
        slot = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        attempt = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        isResult = match.Groups[3].Value == "result";
        return true;
    }

    [GeneratedRegex(@"/slot-(\d{1,9})/attempt-(\d{1,9})/(progress|result)\.json$")]
    private static partial Regex ReportKey();
}
