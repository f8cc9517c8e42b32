namespace CloudNonce.Engine.Tests.Search;

public sealed class SearchEventLogTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"cnd-events-{Guid.NewGuid():N}.jsonl");

    public void Dispose() => File.Delete(_path);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private List<JsonElement> Lines() => File.ReadAllLines(_path).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    [Fact]
    public void WritesOneObjectPerLineWithTimeEventAndSearchIdFirst()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 29, 12, 0, 0, 250, TimeSpan.Zero));
        using (var log = SearchEventLog.Append(_path, clock))
        {
            log.Write("cnd-a", "launch", new { Launch = 0, Spot = false, Instances = new[] { new { Slot = 0, InstanceId = "i-0" } } });
            log.Write("cnd-a", "stop", new { Reason = StopReason.Found, Seconds = 1.5 });
            log.Write("cnd-a", "warning");
        }

        var lines = Lines();
        Assert.Equal(3, lines.Count);
        Assert.Equal(["time", "event", "searchId", "launch", "spot", "instances"], lines[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-11-29T12:00:00.250Z", lines[0].GetProperty("time").GetString());
        Assert.Equal("i-0", lines[0].GetProperty("instances")[0].GetProperty("instanceId").GetString());
        Assert.Equal("Found", lines[1].GetProperty("reason").GetString());
        Assert.Equal(["time", "event", "searchId"], lines[2].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void WritesAFigureThatIsNotANumber()
    {
        using (var log = SearchEventLog.Append(_path))
            log.Write("cnd-a", "plan", new { Probability = double.NaN });
        Assert.Equal("NaN", Lines()[0].GetProperty("probability").GetString());
    }

    [Fact]
    public void AppendsSoSearchesCanShareAFile()
    {
        using (var first = SearchEventLog.Append(_path))
            first.Write("cnd-a", "end");
        using (var second = SearchEventLog.Append(_path))
            second.Write("cnd-b", "end");
        Assert.Equal(["cnd-a", "cnd-b"], Lines().Select(l => l.GetProperty("searchId").GetString()));
    }

    [Fact]
    public void WritesNothingOnceClosed()
    {
        var log = SearchEventLog.Append(_path);
        log.Write("cnd-a", "start");
        log.Dispose();
        log.Write("cnd-a", "late");
        Assert.Single(Lines());
    }

    [Fact]
    public void AFolderThatDoesNotExistFailsAtOpen() =>
        Assert.Throws<DirectoryNotFoundException>(() => SearchEventLog.Append(Path.Combine(_path + ".missing", "log.jsonl")));
}
