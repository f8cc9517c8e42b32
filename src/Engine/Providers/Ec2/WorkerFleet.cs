using Amazon.EC2;
using Amazon.EC2.Model;
using CloudNonce.Engine.Aws;
using Ec2ResourceType = Amazon.EC2.ResourceType;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>The EC2 side of one search: its security group, its launches, and ending them. Workers
/// get no key pair, no instance profile and no inbound port; they power themselves off into
/// termination.</summary>
public sealed class WorkerFleet(IAmazonEC2 ec2, string searchId, string bucket)
{
    private readonly List<string> _launched = [];

    /// <summary>Every instance id RunInstances returned, whether or not DescribeInstances shows it yet.</summary>
    public IReadOnlyList<string> LaunchedIds => _launched;

    /// <summary>A group with no ingress rule at all (EC2 gives new groups none; egress stays open for S3).</summary>
    public async Task<string> CreateSecurityGroupAsync(string vpcId, CancellationToken ct)
    {
        var response = await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest
        {
            GroupName = "cnd-" + searchId,
            VpcId = vpcId,
            Description = "CloudNonce workers of " + searchId + ": no inbound access",
            TagSpecifications = [Tags(Ec2ResourceType.SecurityGroup)],
        }, ct);
        return response.GroupId;
    }

    /// <summary>One RunInstances call for up to <paramref name="count"/> instances, one-time spot ones
    /// when <paramref name="spot"/>. It ignores the caller's cancellation on purpose: an abandoned
    /// call could start instances whose ids we never learn, so it runs to its own timeout and the ids
    /// are always recorded for termination.</summary>
    public async Task<IReadOnlyList<Instance>> LaunchAsync(LaunchTarget target, string userData, int count, int launch, string securityGroupId, bool spot)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var request = new RunInstancesRequest
        {
            ImageId = target.ImageId,
            InstanceType = target.InstanceType,
            MinCount = 1,
            MaxCount = count,
            UserData = WorkerUserData.ToBase64(userData),
            InstanceInitiatedShutdownBehavior = ShutdownBehavior.Terminate,
            MetadataOptions = new InstanceMetadataOptionsRequest
            {
                HttpTokens = HttpTokensState.Required,
                HttpEndpoint = InstanceMetadataEndpointState.Enabled,
                HttpPutResponseHopLimit = 1,
            },
            TagSpecifications = [Tags(Ec2ResourceType.Instance, launch), Tags(Ec2ResourceType.Volume, launch)],
            // A spot worker that is interrupted is simply a lost worker: terminate, never stop or hibernate.
            InstanceMarketOptions = spot
                ? new InstanceMarketOptionsRequest
                {
                    MarketType = MarketType.Spot,
                    SpotOptions = new SpotMarketOptions
                    {
                        SpotInstanceType = SpotInstanceType.OneTime,
                        InstanceInterruptionBehavior = InstanceInterruptionBehavior.Terminate,
                    },
                }
                : null,
            // Retries of the same launch are idempotent instead of starting a second fleet.
            ClientToken = $"{searchId}-{launch}",
        };
        target.Network.ApplyTo(request, securityGroupId);
        var response = await ec2.RunInstancesAsync(request, timeout.Token);
        var instances = response.Reservation?.Instances ?? [];
        _launched.AddRange(instances.Select(i => i.InstanceId));
        return instances;
    }

    public Task<IReadOnlyList<Instance>> DescribeAsync(CancellationToken ct) => ModuleInstances.ListAsync(ec2, searchId, null, ct);

    /// <summary>Ends one worker the controller gave up on (silent, wedged), so it stops costing money.</summary>
    public Task TerminateAsync(string instanceId, CancellationToken ct) => ModuleInstances.TerminateAsync(ec2, [instanceId], ct);

    /// <summary>Terminates every instance of the search: those launched here and any the tags find.
    /// Runs on its own token so that it still works after the search was cancelled.</summary>
    public async Task TerminateAllAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var live = await ModuleInstances.ListAsync(ec2, searchId, ModuleInstances.LiveStates, cts.Token);
        var ids = _launched.Concat(live.Select(i => i.InstanceId)).ToList();
        if (ids.Count > 0)
            await ModuleInstances.TerminateAsync(ec2, ids, cts.Token);
    }

    private TagSpecification Tags(Ec2ResourceType type, int? launch = null)
    {
        var tags = new List<Tag>
        {
            new() { Key = CndTags.CreatedBy, Value = CndTags.CreatedByValue },
            new() { Key = CndTags.SearchId, Value = searchId },
            new() { Key = CndTags.Bucket, Value = bucket },
            new() { Key = "Name", Value = "cnd-" + searchId },
        };
        if (launch is { } n)
            tags.Add(new Tag { Key = CndTags.Launch, Value = n.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return new TagSpecification { ResourceType = type, Tags = tags };
    }
}
