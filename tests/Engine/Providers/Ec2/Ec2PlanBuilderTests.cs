namespace CloudNonce.Engine.Tests.Providers.Ec2;

public class Ec2PlanBuilderTests
{
    private static readonly InstanceTypeRate C7i = InstanceTypeRates.For("c7i.large");
    private static readonly Dictionary<string, PriceQuote> NoSpot = [];

    [Fact]
    public void APlanCostsItsWorkersUntilTheSweepOrTheTimeLimitInItsRegion()
    {
        var builder = new Ec2PlanBuilder(new Ec2Options(), "eu-west-2", NoSpot);
        var request = new SearchRequest { Block = [1], Difficulty = 60, Units = 3, TimeLimit = TimeSpan.FromMinutes(1) };
        var plan = builder.Plan(request, C7i);
        Assert.False(plan.CoversRange);
        Assert.Equal("c7i.large", plan.InstanceType);
        Assert.Equal(3 * 60 / 3600.0, plan.CostBreakdown!.InstanceHours, 1e-9);
        var instances = plan.CostBreakdown.Parts.Single(p => p.Unit == CostUnits.InstanceHours);
        Assert.Equal(PriceTable.Default.For("eu-west-2")!.OnDemand("c7i.large")!.PerHour, instances.UnitPrice);
        Assert.Contains("eu-west-2", instances.Source);
        Assert.Equal(plan.CostBreakdown.Total, plan.EstimatedCost);

        var small = builder.Plan(request with { NonceEnd = 999_999 }, C7i);
        Assert.True(small.CoversRange);
        Assert.Equal(3 * Ec2Billing.BilledHours(small.SweepTime), small.CostBreakdown!.InstanceHours, 1e-9);
    }

    [Fact]
    public void SpotPlansUseTheLiveQuote()
    {
        var quote = PriceQuote.Known(new InstancePrice("c7i.large", true, 0.0321, "DescribeSpotPriceHistory"));
        var builder = new Ec2PlanBuilder(new Ec2Options { Spot = true }, "us-east-1", new Dictionary<string, PriceQuote> { ["c7i.large"] = quote });
        var plan = builder.Plan(new SearchRequest { Block = [1], Difficulty = 60, Units = 1, TimeLimit = TimeSpan.FromHours(1) }, C7i);
        var instances = plan.CostBreakdown!.Parts.Single(p => p.Unit == CostUnits.InstanceHours);
        Assert.Equal((0.0321, "DescribeSpotPriceHistory"), (instances.UnitPrice!.Value, instances.Source));
    }

    [Fact]
    public void AnUnlistedTypeAsksForPricePerHour()
    {
        var builder = new Ec2PlanBuilder(new Ec2Options(), "eu-west-2", NoSpot);
        var plan = builder.Plan(new SearchRequest { Block = [1], Difficulty = 60, Units = 1 }, InstanceTypeRates.For("m7a.large"));
        Assert.Null(plan.EstimatedCost);
        Assert.Contains(plan.CostBreakdown!.Missing, m => m.Contains("-PricePerHour") && m.Contains("eu-west-2"));
    }

    [Fact]
    public void WarnsWhenTheTimeLimitEndsBeforeAWorkerBoots()
    {
        var builder = new Ec2PlanBuilder(new Ec2Options(), "us-east-1", NoSpot);
        var plan = builder.Advise(builder.Plan(new SearchRequest { Block = [1], Difficulty = 30, Units = 2, TimeLimit = TimeSpan.FromSeconds(6) }, C7i));
        Assert.Equal(0, plan.Probability);
        var warning = Assert.Single(plan.Warnings);
        Assert.Contains("6 s", warning);
        Assert.Contains("40 s", warning);
        Assert.Matches(@"need \d+(\.\d)? s for P = 95", warning);
    }

    [Fact]
    public void SaysWhenThisMachineIsFasterThanABoot()
    {
        var measured = 0;
        var options = new Ec2Options { LocalNoncesPerSecond = () => { measured++; return 5e7; } };
        var builder = new Ec2PlanBuilder(options, "us-east-1", NoSpot);
        var easy = builder.Advise(builder.Plan(new SearchRequest { Block = [1], Difficulty = 20, Units = 1 }, C7i));
        var warning = Assert.Single(easy.Warnings);
        Assert.Contains("This machine alone (50 M nonces/s)", warning);
        Assert.Contains("40 s", warning);

        // At D = 40 no machine beats a boot: the local rate is not even measured.
        var hard = builder.Advise(builder.Plan(new SearchRequest { Block = [1], Difficulty = 40, Units = 1 }, C7i));
        Assert.Empty(hard.Warnings);
        Assert.Equal(1, measured);
    }
}
