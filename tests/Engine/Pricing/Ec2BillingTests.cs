using CloudNonce.Engine.Pricing;

namespace CloudNonce.Engine.Tests.Pricing;

public class Ec2BillingTests
{
    [Theory]
    [InlineData(0, 60)]
    [InlineData(59.2, 60)]
    [InlineData(60, 60)]
    [InlineData(60.2, 61)]
    [InlineData(3600, 3600)]
    public void BillsPerStartedSecondWithAMinuteMinimum(double seconds, double billed) =>
        Assert.Equal(billed / 3600, Ec2Billing.BilledHours(TimeSpan.FromSeconds(seconds)), 1e-12);

    [Fact]
    public void EstimatesAFleetBeforeLaunch()
    {
        var estimate = Ec2Billing.Estimate("c7i.large", workers: 10, TimeSpan.FromMinutes(30), spot: false);
        Assert.Equal(5, estimate.InstanceHours, 1e-12);
        Assert.Equal(5 * PriceTable.Default.For("c7i.large", false)!.PerHour, estimate.Total!.Value, 1e-12);
        Assert.Contains("on-demand", estimate.ToString());

        var spot = Ec2Billing.Estimate("c7i.large", 10, TimeSpan.FromMinutes(30), spot: true, overridePerHour: 0.02);
        Assert.Equal(0.1, spot.Total!.Value, 1e-12);
        Assert.Null(Ec2Billing.Estimate("zz9.huge", 1, TimeSpan.FromHours(1), false).Total);
    }
}
