using System.Globalization;
using System.Text;
using Amazon.EC2;
using Amazon.EC2.Model;
using CloudNonce.Engine.Aws;
using Ec2ResourceType = Amazon.EC2.ResourceType;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>The EC2 side of one search: its security group, its launches, and ending them. Workers
/// get no key pair, no instance profile and no inbound port; they power themselves off into
/// termination. Calls that name something just created retry EC2's eventual consistency.</summary>
public sealed class WorkerFleet(IAmazonEC2 ec2, string searchId, string bucket, TimeSpan? consistencyBudget = null)
{
    private readonly TimeSpan _consistencyBudget = consistencyBudget ?? EventualConsistency.Budget;

    /// <summary>A group with no ingress rule at all (EC2 gives new groups none; egress stays open for
    /// S3), in the workers' VPC. Tagged with the search's power-off time, so another search's sweep
    /// spares it until then.</summary>
    public async Task<string> CreateSecurityGroupAsync(string vpcId, DateTimeOffset expiresAt, CancellationToken ct)
    {
        var tags = Tags(Ec2ResourceType.SecurityGroup);
        tags.Tags.Add(new Tag { Key = CndTags.ExpiresAt, Value = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) });
        var response = await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest
        {
            GroupName = "cnd-" + searchId,
            VpcId = vpcId,
            Description = "CloudNonce workers of " + searchId + ": no inbound access",
            TagSpecifications = [tags],
        }, ct);
        return response.GroupId;
    }

    /// <summary>One RunInstances call for up to <paramref name="count"/> instances, one-time spot ones
    /// when <paramref name="spot"/>. It ignores the caller's cancellation on purpose: an abandoned
    /// call could start instances whose ids we never learn, so it runs to its own timeout and the ids
    /// are always returned for termination. A security group created a moment ago may not be visible
    /// to RunInstances yet: that refusal is retried, each try with its own client token (a refused call
    /// started nothing, and reusing its token would only repeat the refusal).</summary>
    public async Task<IReadOnlyList<Instance>> LaunchAsync(LaunchTarget target, string userData, int count, int launch, string securityGroupId, bool spot)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var response = await EventualConsistency.RetryAsync(
            attempt => ec2.RunInstancesAsync(LaunchRequest(target, userData, count, launch, securityGroupId, spot, attempt), timeout.Token), timeout.Token);
        return response.Reservation?.Instances ?? [];
    }

    private RunInstancesRequest LaunchRequest(LaunchTarget target, string userData, int count, int launch, string securityGroupId, bool spot, int attempt)
    {
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
            // The SDK's own retries of one call reuse its token, so a lost answer never starts a second fleet.
            ClientToken = string.Create(CultureInfo.InvariantCulture, $"{searchId}-{launch}-{attempt}"),
        };
        target.Network.ApplyTo(request, securityGroupId);
        return request;
    }

    public Task<IReadOnlyList<Instance>> DescribeAsync(CancellationToken ct) => ModuleInstances.ListAsync(ec2, searchId, null, ct);

    /// <summary>Ends instances, one call per thousand. One unknown id fails a whole TerminateInstances
    /// call and ends none of it, and EC2 forgets instances about an hour after they end, while one
    /// launched a moment ago may not be known yet: after such a refusal each instance is ended on its
    /// own, and an id never seen in a listing gets the eventual-consistency retries. Returns the ids
    /// EC2 still did not know.</summary>
    public async Task<IReadOnlyList<string>> TerminateAsync(IReadOnlyCollection<string> instanceIds, Func<string, bool> wasSeen, CancellationToken ct)
    {
        var unknown = new List<string>();
        foreach (var batch in instanceIds.Distinct(StringComparer.Ordinal).Chunk(1000))
        {
            try
            {
                await ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [.. batch] }, ct);
            }
            catch (AmazonEC2Exception e) when (e.ErrorCode == "InvalidInstanceID.NotFound")
            {
                var ends = batch.Select(async id => await TerminateOneAsync(id, wasSeen(id), ct) ? null : id);
                unknown.AddRange((await Task.WhenAll(ends)).OfType<string>());
            }
        }
        return unknown;
    }

    /// <summary>Terminates every instance of the search that may still run: those the controller did
    /// not see end, and any live one the tags find. Runs on its own token so that it still works after
    /// the search was cancelled, and never throws: what it could not confirm comes back for the result.</summary>
    public async Task<FleetCleanup> TerminateAllAsync(FleetLedger ledger, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var ids = ledger.MayBeAlive.ToList();
        try
        {
            var live = await ModuleInstances.ListAsync(ec2, searchId, ModuleInstances.LiveStates, cts.Token);
            foreach (var instance in live)
                ledger.Seen(instance.InstanceId);
            ids.AddRange(live.Select(i => i.InstanceId));
            if (ids.Count == 0)
                return FleetCleanup.Clean;
            var unknown = await TerminateAsync(ids, ledger.WasSeen, cts.Token);
            return unknown.Count == 0 ? FleetCleanup.Clean
                : new FleetCleanup(unknown, "EC2 does not know them (InvalidInstanceID.NotFound): ended long ago, or not visible yet");
        }
        catch (Exception e) when (e is AmazonEC2Exception or OperationCanceledException or HttpRequestException or Amazon.Runtime.AmazonClientException)
        {
            return new FleetCleanup(ids.Distinct(StringComparer.Ordinal).ToList(), AwsPermissionError.Describe(e) ?? e.Message);
        }
    }

    /// <summary>Deletes the search's group once its instances have let go of it (they do when they reach
    /// "terminated"); waits at most <paramref name="wait"/>. A group still held is left for the next
    /// search's sweep or Remove-CndResources. Never throws.</summary>
    public async Task<bool> ReleaseSecurityGroupAsync(string groupId, TimeSpan wait)
    {
        using var cts = new CancellationTokenSource(wait + TimeSpan.FromSeconds(30));
        try
        {
            return await ModuleSecurityGroups.DeleteAsync(ec2, groupId, wait, cts.Token);
        }
        catch (Exception e) when (e is AmazonEC2Exception or OperationCanceledException or HttpRequestException or Amazon.Runtime.AmazonClientException)
        {
            return false;
        }
    }

    /// <summary>The last lines an instance wrote to its serial console (the worker logs one line per step
    /// there), for telling the user why it was lost; a sentence saying why not when EC2 has none.</summary>
    public async Task<string> ConsoleTailAsync(string instanceId, int lines, CancellationToken ct)
    {
        try
        {
            var response = await EventualConsistency.RetryAsync(_ => ec2.GetConsoleOutputAsync(new GetConsoleOutputRequest { InstanceId = instanceId }, ct), ct,
                TimeSpan.FromSeconds(3));
            var text = string.IsNullOrEmpty(response.Output) ? "" : Encoding.UTF8.GetString(Convert.FromBase64String(response.Output));
            var tail = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).TakeLast(lines).ToList();
            return tail.Count == 0 ? "its console output is empty (EC2 publishes it a few minutes after boot)" : string.Join(" | ", tail);
        }
        catch (Exception e) when (e is AmazonEC2Exception or FormatException or HttpRequestException or Amazon.Runtime.AmazonClientException)
        {
            return $"its console output could not be read ({AwsPermissionError.Describe(e) ?? $"{(e as AmazonEC2Exception)?.ErrorCode ?? e.GetType().Name}: {e.Message}"})";
        }
    }

    /// <summary>True when EC2 took the request (or the instance is already gone from its view for good).</summary>
    private async Task<bool> TerminateOneAsync(string instanceId, bool seenBefore, CancellationToken ct)
    {
        try
        {
            // A seen instance that is now unknown has been gone long enough to be forgotten: no retry.
            var budget = seenBefore ? TimeSpan.Zero : _consistencyBudget;
            await EventualConsistency.RetryAsync(_ => ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [instanceId] }, ct), ct, budget);
            return true;
        }
        catch (AmazonEC2Exception e) when (e.ErrorCode == "InvalidInstanceID.NotFound")
        {
            return seenBefore;
        }
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
            tags.Add(new Tag { Key = CndTags.Launch, Value = n.ToString(CultureInfo.InvariantCulture) });
        return new TagSpecification { ResourceType = type, Tags = tags };
    }
}
