namespace CloudNonce.Engine.Tests.Pricing;

public class PriceTableTests
{
    private static readonly PriceTable Table = PriceTable.Default;

    [Fact]
    public void ShipsDatedPricesPerRegionWithTheirSource()
    {
        Assert.Contains("us-east-1", Table.Regions);
        Assert.Contains("eu-west-2", Table.Regions);
        Assert.True(Table.AsOf.Year >= 2024);
        var london = Table.For("eu-west-2")!.OnDemand("c7i.large")!;
        Assert.Contains(Table.AsOf.ToString("yyyy-MM-dd"), london.Source);
        Assert.Contains("eu-west-2", london.Source);
        Assert.Contains("aws.amazon.com", london.Source);
    }

    [Fact]
    public void ListsTheCommonComputeTypesAndGravitonBesideThem()
    {
        var virginia = Table.For("us-east-1")!;
        foreach (var family in new[] { "c5", "c6i", "c6a", "c7i", "c7a", "c7g", "c8g", "m7g" })
            foreach (var size in new[] { "large", "xlarge", "2xlarge", "4xlarge" })
                Assert.NotNull(virginia.OnDemand($"{family}.{size}"));
        foreach (var size in new[] { "nano", "micro", "small", "medium", "large", "xlarge", "2xlarge" })
            Assert.NotNull(virginia.OnDemand($"t4g.{size}"));
    }

    [Fact]
    public void EachRegionHasItsOwnPrices()
    {
        var virginia = Table.For("us-east-1")!.OnDemand("c7i.large")!.PerHour;
        var london = Table.For("EU-WEST-2")!.OnDemand("C7I.LARGE")!.PerHour;
        Assert.Equal(0.08925, virginia, 1e-9);
        Assert.True(london > virginia, "London lists compute above N. Virginia");
        Assert.True(Table.For("eu-west-2")!.S3Requests.PutPer1000 > Table.For("us-east-1")!.S3Requests.PutPer1000);
    }

    [Fact]
    public void PricesDoubleWithEachSize()
    {
        foreach (var region in Table.Regions)
        {
            var prices = Table.For(region)!;
            foreach (var large in prices.InstanceTypes.Where(t => t.EndsWith(".large", StringComparison.Ordinal)))
            {
                var family = large[..large.IndexOf('.')];
                if (prices.OnDemand($"{family}.xlarge") is { } xlarge)
                    Assert.Equal(2 * prices.OnDemand(large)!.PerHour, xlarge.PerHour, 1e-4);
            }
        }
    }

    [Fact]
    public void HasNothingForARegionOrTypeItDoesNotList()
    {
        Assert.Null(Table.For("ap-south-2"));
        Assert.Null(Table.For(null));
        Assert.Null(Table.For("us-east-1")!.OnDemand("zz9.huge"));
    }

    [Fact]
    public void ParsesATable()
    {
        const string json = """
            {"asOf":"2025-01-31","source":"s","publicIpv4":{"perHour":0.005,"source":"v"},
             "regions":{"r-1":{"name":"R","s3Requests":{"putPer1000":0.01,"getPer1000":0.001,"source":"x"},"onDemand":{"a.large":0.1}}}}
            """;
        var table = PriceTable.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(0.1, table.For("r-1")!.OnDemand("a.large")!.PerHour, 1e-12);
        Assert.Equal(new DateOnly(2025, 1, 31), table.AsOf);
        Assert.Equal(0.005, table.PublicIpv4PerHour);
        Assert.Equal(0.01, table.For("r-1")!.S3Requests.PutPer1000);
    }
}
