namespace CloudNonce.Engine.Tests.Pricing;

public class FleetPricesTests
{
    private static readonly PriceQuote NoSpot = PriceQuote.Unknown("not looked up");

    [Fact]
    public void PricesInTheSearchRegion()
    {
        var prices = FleetPrices.From(PriceTable.Default, "eu-west-2", "c7i.large", NoSpot, null);
        Assert.Equal(PriceTable.Default.For("eu-west-2")!.OnDemand("c7i.large")!.PerHour, prices.OnDemand.Price!.PerHour);
        Assert.Same(PriceTable.Default.For("eu-west-2")!.S3Requests, prices.S3Requests);
    }

    [Theory]
    [InlineData("ap-south-2", "c7i.large", "does not cover region ap-south-2")]
    [InlineData("eu-west-2", "m7a.large", "no on-demand price for m7a.large in eu-west-2")]
    [InlineData(null, "c7i.large", "no region is set")]
    public void AsksForPricePerHourRatherThanUsingAnotherRegionsPrice(string? region, string type, string why)
    {
        var prices = FleetPrices.From(PriceTable.Default, region, type, NoSpot, null);
        Assert.Null(prices.OnDemand.Price);
        Assert.Contains(why, prices.OnDemand.Missing);
        Assert.Contains("-PricePerHour", prices.OnDemand.Missing);
    }

    [Fact]
    public void AnOverrideWinsForBothMarkets()
    {
        var prices = FleetPrices.From(PriceTable.Default, "ap-south-2", "zz9.huge", NoSpot, 0.5);
        Assert.Equal((0.5, "-PricePerHour"), (prices.OnDemand.Price!.PerHour, prices.OnDemand.Price.Source));
        Assert.Equal(0.5, prices.Spot.Price!.PerHour);
        Assert.True(prices.For(spot: true).Price!.Spot);
        Assert.Throws<ArgumentOutOfRangeException>(() => FleetPrices.From(PriceTable.Default, "us-east-1", "c7i.large", NoSpot, -1));
    }
}
