namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Keeps a running search within -MaxCost: the spend accrues as instances run (each billed at
/// least 60 s from its launch, its address and the protocol's requests included), and the search must
/// end before the next poll would pass the cap. The projection adds the time instances take to end
/// and the minimum charge of slots still waiting for a launch.</summary>
public sealed class BudgetGuard(double maxCost, CostMeter meter)
{
    /// <summary>From TerminateInstances to an instance that no longer bills (shutting-down).</summary>
    public static readonly TimeSpan TerminationAllowance = TimeSpan.FromSeconds(5);

    public double MaxCost { get; } = maxCost;

    /// <summary>USD spent up to <paramref name="now"/>; null without a price.</summary>
    public double? Spent(FleetLedger ledger, DateTimeOffset now, TimeSpan searchTime) => meter.At(ledger, now, searchTime).Total;

    /// <summary>True when running on for <paramref name="untilNextPoll"/> (and ending the fleet then),
    /// with <paramref name="waitingLaunches"/> more instances launched on the way, would cost more than the cap.</summary>
    public bool WouldPass(FleetLedger ledger, DateTimeOffset now, TimeSpan searchTime, TimeSpan untilNextPoll, int waitingLaunches, bool spot)
    {
        var ahead = untilNextPoll + TerminationAllowance;
        var projected = Spent(ledger, now + ahead, searchTime + ahead);
        if (waitingLaunches > 0)
            projected += meter.MinimumOf(waitingLaunches, spot).Total;
        return projected is { } usd && usd > MaxCost;
    }
}
