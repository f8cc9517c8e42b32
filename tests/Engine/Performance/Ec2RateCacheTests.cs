namespace CloudNonce.Engine.Tests.Performance;

public sealed class Ec2RateCacheTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"cnd-rates-{Guid.NewGuid():N}");

    private Ec2RateCache Cache => new(Path.Combine(_folder, Ec2RateCache.FileName));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void AMeasuredTypeGetsItsMeasuredRateAndOtherTypesKeepTheTable()
    {
        Cache.Save("c7i.large", 12_345_678, TimeSpan.FromSeconds(41.5), "endpoint http://127.0.0.1:1", DateTimeOffset.UnixEpoch);
        var warnings = new List<string>();

        var measured = Cache.WithMeasuredRate(new Ec2Options { InstanceType = "c7i.large" }, warnings.Add);
        var other = Cache.WithMeasuredRate(new Ec2Options { InstanceType = "c7a.large" }, warnings.Add);

        Assert.Equal(12_345_678, measured.MeasuredRate!.NoncesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(41.5), measured.MeasuredRate.BootOverhead);
        Assert.Contains("endpoint http://127.0.0.1:1", measured.MeasuredRate.Source);
        Assert.Null(other.MeasuredRate);
        Assert.Empty(warnings);
    }

    [Fact]
    public void AnUnreadableCacheIsAWarningNotAFailure()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Cache.Path, "{ not json");
        var warnings = new List<string>();

        var options = Cache.WithMeasuredRate(new Ec2Options { InstanceType = "c7i.large" }, warnings.Add);

        Assert.Null(options.MeasuredRate);
        Assert.Contains(Cache.Path, Assert.Single(warnings));
    }
}
