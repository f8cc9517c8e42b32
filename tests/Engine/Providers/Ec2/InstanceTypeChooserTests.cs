namespace CloudNonce.Engine.Tests.Providers.Ec2;

public class InstanceTypeChooserTests
{
    private static readonly SearchRequest Request = new() { Block = [1], Difficulty = 30, Confidence = 0.9, TimeLimit = TimeSpan.FromSeconds(600) };

    [Fact]
    public void PicksTheLowestCostPerNonceFromMeasuredRates()
    {
        // c7a.large costs more per hour than c6a.large, but measured three times as fast it is cheaper per nonce.
        var measured = new Dictionary<string, InstanceTypeRate>
        {
            ["c7a.large"] = new("c7a.large", 1.5e8, TimeSpan.FromSeconds(30), "measured"),
            ["c6a.large"] = new("c6a.large", 5e7, TimeSpan.FromSeconds(30), "measured"),
        };
        var builder = new Ec2PlanBuilder(new Ec2Options(), "us-east-1", new Dictionary<string, PriceQuote>());
        var plan = InstanceTypeChooser.Choose(["c6a.large", "c7a.large"], Request, builder, t => measured.GetValueOrDefault(t));
        Assert.Equal("c7a.large", plan.InstanceType);
        Assert.Contains("lowest cost per nonce", plan.InstanceChoice);
        Assert.Contains("measured by Measure-CndPerformance", plan.InstanceChoice);
        Assert.Contains("c6a.large $", plan.InstanceChoice);

        var slower = InstanceTypeChooser.Choose(["c6a.large", "c7a.large"], Request, builder,
            t => measured[t] with { NoncesPerSecond = t == "c6a.large" ? 1.5e8 : 5e7 });
        Assert.Equal("c6a.large", slower.InstanceType);
    }

    [Fact]
    public void LeavesOutTypesWithoutAPriceAndSaysWhy()
    {
        var builder = new Ec2PlanBuilder(new Ec2Options(), "eu-west-2", new Dictionary<string, PriceQuote>());
        var plan = InstanceTypeChooser.Choose(["m7a.large", "c7i.large"], Request, builder, _ => null);
        Assert.Equal("c7i.large", plan.InstanceType);
        Assert.Contains("left out: m7a.large", plan.InstanceChoice);
        Assert.Throws<InvalidOperationException>(() => InstanceTypeChooser.Choose(["m7a.large"], Request, builder, _ => null));
    }
}
