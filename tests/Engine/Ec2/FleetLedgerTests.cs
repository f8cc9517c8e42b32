using CloudNonce.Engine.Pricing;
using CloudNonce.Engine.Providers.Ec2;

namespace CloudNonce.Engine.Tests.Ec2;

public class FleetLedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static InstancePrice Price(bool spot) => new("c7i.large", spot, spot ? 0.036 : 0.09, "test");

    [Fact]
    public void BillsEachInstancePerSecondWithAMinuteMinimum()
    {
        var ledger = new FleetLedger();
        ledger.Launched("i-a", spot: false, T0);
        ledger.Launched("i-b", spot: true, T0);
        ledger.Launched("i-c", spot: true, T0 + TimeSpan.FromSeconds(100));
        ledger.Ended("i-a", T0 + TimeSpan.FromSeconds(30));   // billed as 60 s
        ledger.Ended("i-a", T0 + TimeSpan.FromSeconds(500));  // the first sighting counts
        ledger.Ended("i-b", T0 + TimeSpan.FromSeconds(3600));

        var (hours, cost) = ledger.Cost(T0 + TimeSpan.FromSeconds(280), Price); // i-c still runs: 180 s
        Assert.Equal((60 + 3600 + 180) / 3600.0, hours, 1e-12);
        Assert.Equal(60 / 3600.0 * 0.09 + (3600 + 180) / 3600.0 * 0.036, cost!.Value, 1e-12);
        Assert.Equal((3, 2), (ledger.Count, ledger.SpotCount));
    }

    [Fact]
    public void HasNoCostWhenAMarketHasNoPrice()
    {
        var ledger = new FleetLedger();
        ledger.Launched("i-a", spot: false, T0);
        Assert.Null(ledger.Cost(T0 + TimeSpan.FromMinutes(5), _ => null).Cost);
        Assert.Equal(5 / 60.0, ledger.Cost(T0 + TimeSpan.FromMinutes(5), _ => null).InstanceHours, 1e-12);
    }
}
