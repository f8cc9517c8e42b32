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
}
