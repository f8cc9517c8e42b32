using CloudNonce.Engine.Planning;
using CloudNonce.Engine.Providers.Ec2;
using CloudNonce.Engine.Search;

namespace CloudNonce.Engine.Tests.Ec2;

public class InstanceTypeRatesTests
{
    [Theory]
    [InlineData("c7a.large", 50e6)]
    [InlineData("c7i.large", 30e6)]
    [InlineData("c7i.xlarge", 60e6)]
    [InlineData("C6A.2XLARGE", 88e6)]
    public void TableRatesScaleWithVCpus(string type, double rate)
    {
        var entry = InstanceTypeRates.For(type);
        Assert.Equal(rate, entry.NoncesPerSecond, 1e-6);
        Assert.Equal(TimeSpan.FromSeconds(40), entry.BootOverhead);
    }

    [Theory]
    [InlineData("c7g.large", 24e6)]
    [InlineData("m7g.xlarge", 48e6)]
    [InlineData("c8g.medium", 14e6)]
    [InlineData("t4g.small", 16e6)]
    [InlineData("t4g.nano", 16e6)]
    public void GravitonTypesAreUnmeasuredEstimatesAndThePlanSaysSo(string type, double rate)
    {
        var entry = InstanceTypeRates.For(type);
        Assert.Equal(rate, entry.NoncesPerSecond, 1e-6);
        Assert.StartsWith("unmeasured estimate for Graviton", entry.Source);
        var profile = new Ec2SearchProvider(new Ec2Options { InstanceType = type }).DescribeUnit(new SearchRequest { Block = [1], Difficulty = 8 });
        Assert.Contains("unmeasured estimate", profile.Description);
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
        Assert.Contains("5 workers", plan.Explanation);
    }
}
