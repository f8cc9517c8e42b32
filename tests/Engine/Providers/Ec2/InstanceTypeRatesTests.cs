namespace CloudNonce.Engine.Tests.Providers.Ec2;

public class InstanceTypeRatesTests
{
    /// <summary>Graviton types are unmeasured estimates, and the plan says so.</summary>
    [Theory]
    [InlineData("c7a.large", 50e6, "documented estimate")]
    [InlineData("c7i.large", 30e6, "documented estimate")]
    [InlineData("c7i.xlarge", 60e6, "documented estimate")]
    [InlineData("C6A.2XLARGE", 88e6, "documented estimate")]
    [InlineData("c7g.large", 24e6, "unmeasured estimate for Graviton")]
    [InlineData("m7g.xlarge", 48e6, "unmeasured estimate for Graviton")]
    [InlineData("c8g.medium", 14e6, "unmeasured estimate for Graviton")]
    [InlineData("t4g.small", 16e6, "unmeasured estimate for Graviton")]
    [InlineData("t4g.nano", 16e6, "unmeasured estimate for Graviton")]
    public void TableRatesScaleWithVCpusAndThePlanNamesWhereTheyCameFrom(string type, double rate, string source)
    {
        var entry = InstanceTypeRates.For(type);
        Assert.Equal(rate, entry.NoncesPerSecond, 1e-6);
        Assert.Equal(TimeSpan.FromSeconds(40), entry.BootOverhead);
        Assert.StartsWith(source, entry.Source);
        var profile = new Ec2SearchProvider(new Ec2Options { InstanceType = type }).DescribeUnit(new SearchRequest { Block = [1], Difficulty = 8 });
        Assert.Contains(source, profile.Description);
    }

    [Fact]
    public void UnknownFamiliesFallBackPerVCpu()
    {
        var entry = InstanceTypeRates.For("z9x.4xlarge");
        Assert.Equal(16 * InstanceTypeRates.FallbackPerVCpu, entry.NoncesPerSecond);
        Assert.Contains("fallback", entry.Source);
        Assert.Equal(3 * InstanceTypeRates.FallbackPerVCpu, InstanceTypeRates.For("z9x.odd", vcpus: 3).NoncesPerSecond);
    }

    // c7i.large: r = 3e7 nonces/s, boot 40 s; T = 60 s leaves 20 s of hashing, 6e8 nonces per worker.
    // D = 32, L = 0.5 needs H >= ln 2 * 2^32 = 2.977e9: N = 5 (P = 1 - exp(-3e9/2^32) = 0.5027),
    // while N = 4 gives P = 1 - exp(-2.4e9/2^32) = 0.4281.
    [Fact]
    public void TheProviderPlansWithTheTable()
    {
        var provider = new Ec2SearchProvider(new Ec2Options { InstanceType = "c7i.large" });
        var request = new SearchRequest { Block = [1], Difficulty = 32, Confidence = 0.5, TimeLimit = TimeSpan.FromSeconds(60) };
        var plan = SearchPlanner.PlanFor(provider, request)!;
        Assert.Equal(5, plan.Units);
        Assert.Equal(0.5027, plan.Probability, 4);
        Assert.True(plan.Reachable);
    }

    [Fact]
    public void AFleetCappedBelowTheNeedIsExplained()
    {
        var provider = new Ec2SearchProvider(new Ec2Options { InstanceType = "c7i.large", MaxInstances = 4 });
        var request = new SearchRequest { Block = [1], Difficulty = 32, Confidence = 0.5, TimeLimit = TimeSpan.FromSeconds(60) };
        var plan = SearchPlanner.PlanFor(provider, request)!;
        Assert.False(plan.Reachable);
        Assert.Equal(4, plan.Units);
        Assert.Contains("needs 5 instances (maximum 4)", plan.Explanation);
    }
}
