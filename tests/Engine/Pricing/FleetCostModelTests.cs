namespace CloudNonce.Engine.Tests.Pricing;

public class FleetCostModelTests
{
    private static readonly TimeSpan Progress = TimeSpan.FromSeconds(2), Poll = TimeSpan.FromSeconds(1);

    [Fact]
    public void CountsInstancesAddressesAndRequestsAtTheRegionsPrices()
    {
        var prices = FleetPrices.From(PriceTable.Default, "eu-west-2", "c7i.large", PriceQuote.Unknown("-"), null);
        var usage = FleetUsage.Planned(3, TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(40), spot: false, publicIpv4: true, Progress, Poll);
        var cost = FleetCostModel.Price(usage, prices);

        var london = PriceTable.Default.For("eu-west-2")!;
        var requests = ProtocolRequests.Count(3, TimeSpan.FromSeconds(3 * 260), TimeSpan.FromSeconds(300), Progress, Poll);
        var expected = 3 * 300 / 3600.0 * london.OnDemand("c7i.large")!.PerHour
                       + 3 * 300 / 3600.0 * 0.005
                       + requests.PutClass * london.S3Requests.PutPer1000 / 1000 + requests.Gets * london.S3Requests.GetPer1000 / 1000;
        Assert.Equal(expected, cost.Total!.Value, 1e-12);
        Assert.Equal(3 * 300 / 3600.0, cost.InstanceHours, 1e-12);
        Assert.Equal(4, cost.Parts.Count);
        Assert.Equal("eu-west-2", cost.Region);
        Assert.Empty(cost.Missing);
    }

    [Fact]
    public void AShortRunIsBilledTheMinuteMinimum()
    {
        var prices = FleetPrices.From(PriceTable.Default, "us-east-1", "c7i.large", PriceQuote.Unknown("-"), null);
        var cost = FleetCostModel.Price(FleetUsage.Planned(2, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(40), false, false, Progress, Poll), prices);
        Assert.Equal(2 * 60 / 3600.0, cost.InstanceHours, 1e-12);
    }

    [Fact]
    public void SpotUsesTheSpotQuote()
    {
        var spot = PriceQuote.Known(new InstancePrice("c7i.large", true, 0.03, "live"));
        var prices = FleetPrices.From(PriceTable.Default, "us-east-1", "c7i.large", spot, null);
        var cost = FleetCostModel.Price(FleetUsage.Planned(1, TimeSpan.FromHours(1), TimeSpan.Zero, spot: true, false, Progress, Poll), prices);
        var instances = Assert.Single(cost.Parts, p => p.Unit == CostUnits.InstanceHours);
        Assert.Equal((0.03, "live"), (instances.UnitPrice!.Value, instances.Source));
    }

    [Fact]
    public void WithoutAnInstancePriceThereIsNoTotalAndTheReasonIsGiven()
    {
        var prices = FleetPrices.From(PriceTable.Default, "ap-south-2", "c7i.large", PriceQuote.Unknown("-"), null);
        var cost = FleetCostModel.Price(FleetUsage.Planned(1, TimeSpan.FromMinutes(5), TimeSpan.Zero, false, true, Progress, Poll), prices);
        Assert.Null(cost.Total);
        Assert.Contains(cost.Missing, m => m.Contains("-PricePerHour"));
        Assert.StartsWith("unknown", cost.ToString());

        // -PricePerHour prices the instances; the S3 requests of an uncovered region stay unpriced and out of the total.
        var overridden = FleetCostModel.Price(FleetUsage.Planned(1, TimeSpan.FromMinutes(5), TimeSpan.Zero, false, false, Progress, Poll),
            FleetPrices.From(PriceTable.Default, "ap-south-2", "c7i.large", PriceQuote.Unknown("-"), 1.2));
        Assert.Equal(0.1, overridden.Total!.Value, 1e-12);
        Assert.Contains(overridden.Missing, m => m.Contains("S3 request prices"));
    }
}
