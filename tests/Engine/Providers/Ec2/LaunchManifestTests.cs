namespace CloudNonce.Engine.Tests.Providers.Ec2;

public class LaunchManifestTests
{
    private static LaunchManifest Sample() => new()
    {
        SearchId = "cnd-20261125120000-ab12cd",
        BlockHex = "434f4d534d30303130636c6f7564",
        Difficulty = 28,
        ScannerUrl = "http://127.0.0.1:5000/b/scanners/abc/cnd-scan?X-Amz-Date=1&X-Amz-Signature=2",
        ScannerSha256 = new string('a', 64),
        Deadline = 1764072000,
        ProgressIntervalSeconds = 2,
        Slots =
        [
            new ManifestSlot { LaunchIndex = 0, Slot = 3, Attempt = 1, Start = 10, End = 20, ProgressUrl = "http://p?a=1&b=2", ResultUrl = "http://r?a=1&b=2" },
            new ManifestSlot { LaunchIndex = 1, Slot = 5, Attempt = 0, Start = 21, End = uint.MaxValue, ProgressUrl = "http://p2", ResultUrl = "http://r2" },
        ],
    };

    [Fact]
    public void WritesTheProtocolFieldNames()
    {
        using var json = JsonDocument.Parse(Sample().ToJson());
        var root = json.RootElement;
        foreach (var name in new[] { "searchId", "blockHex", "difficulty", "scannerUrl", "scannerSha256", "deadline", "progressIntervalSeconds", "slots" })
            Assert.True(root.TryGetProperty(name, out _), name);
        var slot = root.GetProperty("slots")[0];
        foreach (var name in new[] { "launchIndex", "slot", "attempt", "start", "end", "progressUrl", "resultUrl" })
            Assert.True(slot.TryGetProperty(name, out _), name);
        Assert.Equal(4294967295, root.GetProperty("slots")[1].GetProperty("end").GetInt64());
    }

    [Fact]
    public void KeepsUrlsLiteralForTheBootstrapsReader()
    {
        var text = Sample().ToJson();
        Assert.Contains("X-Amz-Date=1&X-Amz-Signature=2", text);
        Assert.DoesNotContain("\\u0026", text);
        // The bootstrap finds each slot by splitting at braces: slots must be the only nested objects.
        Assert.Equal(3, text.Count(c => c == '{'));
    }

    [Fact]
    public void WritesAFractionalProgressInterval()
    {
        using var json = JsonDocument.Parse((Sample() with { ProgressIntervalSeconds = 0.05 }).ToJson());
        Assert.Equal("0.05", json.RootElement.GetProperty("progressIntervalSeconds").GetRawText());
    }

    [Fact]
    public void RoundTrips() => Assert.Equivalent(Sample(), LaunchManifest.Parse(Sample().ToJson()));
}
