using System.Text;
using CloudNonce.Engine.Pricing;

namespace CloudNonce.Engine.Tests.Pricing;

public class PriceTableTests
{
    [Fact]
    public void ShipsDatedPricesForTheCommonComputeTypes()
    {
        var table = PriceTable.Default;
        foreach (var family in new[] { "c5", "c6i", "c6a", "c7i", "c7a" })
            foreach (var size in new[] { "large", "xlarge", "2xlarge", "4xlarge" })
                Assert.NotNull(table.For($"{family}.{size}", spot: false));
        Assert.True(table.AsOf.Year >= 2024);
        Assert.Contains(table.AsOf.ToString("yyyy-MM-dd"), table.For("c7i.large", false)!.Source);
    }

    [Fact]
    public void PricesDoubleWithEachSize()
    {
        var large = PriceTable.Default.For("c7i.large", false)!.PerHour;
        Assert.Equal(2 * large, PriceTable.Default.For("c7i.xlarge", false)!.PerHour, 1e-9);
        Assert.Equal(8 * large, PriceTable.Default.For("C7I.4XLARGE", false)!.PerHour, 1e-9);
    }

    [Fact]
    public void SpotIsTheOnDemandPriceTimesTheDiscountFactor()
    {
        var table = PriceTable.Default;
        var spot = table.For("c6a.large", spot: true)!;
        Assert.True(spot.Spot);
        Assert.Equal(table.For("c6a.large", false)!.PerHour * table.SpotFactor, spot.PerHour, 1e-12);
        Assert.InRange(table.SpotFactor, 0.1, 0.9);
    }

    [Fact]
    public void AnOverrideWinsForEveryTypeAndMarket()
    {
        var price = PriceTable.Default.For("zz9.huge", spot: true, overridePerHour: 0.5)!;
        Assert.Equal((0.5, "-PricePerHour"), (price.PerHour, price.Source));
        Assert.Null(PriceTable.Default.For("zz9.huge", spot: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => PriceTable.Default.For("c7i.large", false, -1));
    }

    [Fact]
    public void ParsesATable()
    {
        const string json = """{"source":"s","asOf":"2025-01-31","spotFactor":0.5,"spotSource":"x","onDemand":{"a.large":0.1}}""";
        var table = PriceTable.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(0.05, table.For("a.large", spot: true)!.PerHour, 1e-12);
        Assert.Equal(new DateOnly(2025, 1, 31), table.AsOf);
    }
}
