namespace CloudNonce.Engine.Tests.Providers.Ec2;

public class FleetLedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Progress = TimeSpan.FromSeconds(2), Poll = TimeSpan.FromSeconds(1);

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
        ledger.HasPublicIpv4("i-b");

        var usage = ledger.Usage(T0 + TimeSpan.FromSeconds(280), TimeSpan.FromSeconds(280), Progress, Poll); // i-c still runs: 180 s
        Assert.Equal(60 / 3600.0, usage.OnDemandHours, 1e-12);
        Assert.Equal((3600 + 180) / 3600.0, usage.SpotHours, 1e-12);
        Assert.Equal(1.0, usage.PublicIpv4Hours, 1e-12);
        Assert.Equal(TimeSpan.FromSeconds(30 + 3600 + 180), usage.WorkerTime);
        Assert.Equal(3, usage.Launches);
        Assert.Equal((3, 2), (ledger.Count, ledger.SpotCount));
    }
}
