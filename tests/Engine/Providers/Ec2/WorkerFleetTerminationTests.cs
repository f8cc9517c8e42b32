using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;

namespace CloudNonce.Engine.Tests.Providers.Ec2;

/// <summary>Ending a fleet the way EC2 answers: one unknown id fails a whole TerminateInstances call,
/// ids of instances long gone are unknown, and ids just launched are unknown for a moment.</summary>
public class WorkerFleetTerminationTests
{
    /// <summary>An EC2 that knows some ids, learns others after a number of calls naming them, and
    /// terminates a call's instances only when it knows every one of them.</summary>
    private sealed class StrictEc2() : AmazonEC2Client(new BasicAWSCredentials("test", "test"),
        new AmazonEC2Config { ServiceURL = "http://127.0.0.1:9", AuthenticationRegion = "eu-west-2" })
    {
        public HashSet<string> Known { get; } = new(StringComparer.Ordinal);
        /// <summary>Calls naming the id that fail before EC2 shows it.</summary>
        public Dictionary<string, int> VisibleAfter { get; } = new(StringComparer.Ordinal);
        public List<string> Terminated { get; } = [];
        public int Calls { get; private set; }

        public override Task<TerminateInstancesResponse> TerminateInstancesAsync(TerminateInstancesRequest request, CancellationToken cancellationToken = default)
        {
            Calls++;
            var unknown = request.InstanceIds.Where(id => !Visible(id)).ToList();
            if (unknown.Count > 0)
                throw new AmazonEC2Exception($"The instance IDs '{string.Join(", ", unknown)}' do not exist") { ErrorCode = "InvalidInstanceID.NotFound" };
            Terminated.AddRange(request.InstanceIds);
            return Task.FromResult(new TerminateInstancesResponse());
        }

        public override Task<DescribeInstancesResponse> DescribeInstancesAsync(DescribeInstancesRequest request, CancellationToken cancellationToken = default) =>
            Task.FromResult(new DescribeInstancesResponse { Reservations = [] });

        private bool Visible(string id)
        {
            if (!VisibleAfter.TryGetValue(id, out var left))
                return Known.Contains(id);
            VisibleAfter[id] = left - 1;
            return left <= 0;
        }
    }

    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static FleetLedger LedgerOf(params string[] launched)
    {
        var ledger = new FleetLedger();
        foreach (var id in launched)
            ledger.Launched(id, false, T0);
        return ledger;
    }

    /// <summary>Ends the ledger's fleet, waiting up to <paramref name="consistencyBudget"/> for ids EC2 does not show yet.</summary>
    private static Task<FleetCleanup> TerminateAll(StrictEc2 ec2, FleetLedger ledger, TimeSpan? consistencyBudget = null) =>
        new WorkerFleet(ec2, "cnd-test", "bucket", consistencyBudget).TerminateAllAsync(ledger, TimeSpan.FromSeconds(30));

    [Fact]
    public async Task EndsTheLiveInstancesWhenAnotherIdOfTheBatchIsLongGone()
    {
        using var ec2 = new StrictEc2();
        ec2.Known.Add("i-live");
        var ledger = LedgerOf("i-expired", "i-live");
        ledger.Seen("i-expired");
        ledger.Seen("i-live");

        var cleanup = await TerminateAll(ec2, ledger, TimeSpan.FromSeconds(2));

        Assert.Equal(FleetCleanup.Clean, cleanup);
        Assert.Equal(["i-live"], ec2.Terminated);
    }

    [Fact]
    public async Task RetriesAnIdJustLaunchedUntilEc2ShowsIt()
    {
        using var ec2 = new StrictEc2();
        ec2.VisibleAfter["i-new"] = 2;

        var cleanup = await TerminateAll(ec2, LedgerOf("i-new"), TimeSpan.FromSeconds(10));

        Assert.Equal(FleetCleanup.Clean, cleanup);
        Assert.Equal(["i-new"], ec2.Terminated);
    }

    [Fact]
    public async Task NamesTheIdsItCouldNotEndInsteadOfThrowing()
    {
        using var ec2 = new StrictEc2();
        ec2.Known.Add("i-live");

        var cleanup = await TerminateAll(ec2, LedgerOf("i-live", "i-never-shown"), TimeSpan.FromSeconds(1));

        Assert.Equal(["i-never-shown"], cleanup.Unconfirmed);
        Assert.Contains("InvalidInstanceID.NotFound", cleanup.Problem);
        Assert.Equal(["i-live"], ec2.Terminated);
    }

    [Fact]
    public async Task SendsNothingForInstancesSeenToEnd()
    {
        using var ec2 = new StrictEc2();
        var ledger = LedgerOf("i-done");
        ledger.Ended("i-done", T0 + TimeSpan.FromMinutes(1));

        Assert.Equal(FleetCleanup.Clean, await TerminateAll(ec2, ledger));
        Assert.Equal(0, ec2.Calls);
    }
}
