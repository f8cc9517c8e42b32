namespace CloudNonce.Engine.Tests.Performance;

[Collection(SerialCollection.Name)]
public class LocalPerformanceTests
{
    [Fact]
    public void Samples_relate_each_rate_to_the_one_thread_rate()
    {
        var samples = LocalPerformance.Measure(["scalar"], [2, 1], TimeSpan.FromSeconds(0.2), default).ToList();
        Assert.Equal([2, 1], samples.Select(s => s.Threads));
        Assert.All(samples, s =>
        {
            Assert.Equal("scalar", s.Kernel);
            Assert.True(s.NoncesPerSecond > 0);
            Assert.Equal(s.Speedup / s.Threads, s.Efficiency, 1e-12);
        });
        Assert.Equal(1.0, samples[1].Speedup, 1e-12);
        Assert.Equal(samples[0].NoncesPerSecond / samples[1].NoncesPerSecond, samples[0].Speedup, 1e-12);
    }

    [Fact]
    public void Cancellation_ends_the_measurement()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.ThrowsAny<OperationCanceledException>(() =>
            LocalPerformance.Measure(["scalar"], [1, 2], TimeSpan.FromSeconds(20), cancel.Token).ToList());
    }
}
