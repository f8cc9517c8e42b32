using CloudNonce.Engine.Planning;
using CloudNonce.Engine.Pricing;
using CloudNonce.Engine.Providers.Ec2;
using CloudNonce.Engine.Search;

namespace CloudNonce.Engine.Tests.Ec2;

public class Ec2PlanCostTests
{
    [Fact]
    public void APlanCostsItsWorkersUntilTheSweepOrTheTimeLimit()
    {
        var provider = new Ec2SearchProvider(new Ec2Options { InstanceType = "c7i.large", Spot = true, PricePerHour = 0.04 });
        var request = new SearchRequest { Block = [1], Difficulty = 60, Workers = 3, TimeLimit = TimeSpan.FromMinutes(1) };
        var plan = SearchPlanner.PlanFor(provider, request)!;
        var cost = provider.EstimateCost(plan);
        Assert.False(plan.CoversRange);
        Assert.Equal(3 / 60.0, cost.InstanceHours, 1e-9);
        Assert.Equal(0.04 * 3 / 60, cost.Total!.Value, 1e-9);
        Assert.True(cost.Price!.Spot);

        var small = SearchPlanner.PlanFor(provider, request with { NonceEnd = 999_999 })!;
        Assert.True(small.CoversRange);
        Assert.Equal(3 * Ec2Billing.BilledHours(small.SweepTime), provider.EstimateCost(small).InstanceHours, 1e-9);
    }
}
