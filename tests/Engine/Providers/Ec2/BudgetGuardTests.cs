namespace CloudNonce.Engine.Tests.Providers.Ec2;

public class BudgetGuardTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    // $36/h is a cent per instance-second; the region's S3 requests add a little.
    private static readonly CostMeter Meter = new(FleetPrices.From(PriceTable.Default, "us-east-1", "c7i.large", PriceQuote.Unknown("-"), 36), Second * 2, Second);

    [Fact]
    public void StopsBeforeTheNextPollWouldPassTheCap()
    {
        var ledger = new FleetLedger();
        ledger.Launched("i-a", false, T0);
        ledger.Launched("i-b", false, T0);
        var guard = new BudgetGuard(1.5, Meter);
        // Two instances bill their 60 s minimum ($1.20) until a minute has passed, then 2 cents a second.
        Assert.False(guard.WouldPass(ledger, T0 + Second * 10, Second * 10, Second, 0, false));
        Assert.False(guard.WouldPass(ledger, T0 + Second * 60, Second * 60, Second, 0, false));
        Assert.True(guard.WouldPass(ledger, T0 + Second * 70, Second * 70, Second, 0, false));
        Assert.True(guard.Spent(ledger, T0 + Second * 70, Second * 70) < 1.5);
    }

    [Fact]
    public void CountsTheMinimumOfLaunchesStillWaiting()
    {
        var ledger = new FleetLedger();
        ledger.Launched("i-a", false, T0);
        var guard = new BudgetGuard(1.0, Meter);
        Assert.False(guard.WouldPass(ledger, T0 + Second * 10, Second * 10, Second, 0, false));
        Assert.True(guard.WouldPass(ledger, T0 + Second * 10, Second * 10, Second, 1, false));
    }
}
