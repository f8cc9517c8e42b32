using CloudNonce.Engine.Pricing;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Prices a running search's fleet as it accrues: the ledger's instances (60 s minimum
/// each), their public IPv4 addresses and the protocol's requests, at the search's region's prices.</summary>
public sealed class CostMeter(FleetPrices prices, TimeSpan progressInterval, TimeSpan pollInterval)
{
    public FleetPrices Prices { get; } = prices;

    /// <summary>The cost up to <paramref name="now"/>, the controller having polled for <paramref name="searchTime"/>.</summary>
    public CostBreakdown At(FleetLedger ledger, DateTimeOffset now, TimeSpan searchTime) =>
        FleetCostModel.Price(ledger.Usage(now, searchTime, progressInterval, pollInterval), Prices);

    /// <summary>The least that <paramref name="count"/> more launches cost: each instance's billing minimum and its address.</summary>
    public CostBreakdown MinimumOf(int count, bool spot) =>
        FleetCostModel.Price(FleetUsage.Planned(count, Ec2Billing.MinimumCharge, Ec2Billing.MinimumCharge, spot, publicIpv4: true, progressInterval, pollInterval), Prices);
}
