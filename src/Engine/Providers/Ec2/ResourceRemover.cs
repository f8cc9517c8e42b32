using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.S3;
using CloudNonce.Engine.Aws;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Finds and removes what the module created, in dependency order: instances, then their
/// security groups (once the instances are gone), then bucket objects, the bucket and named key
/// pairs. Finding only what still exists makes a second run a no-op.</summary>
public sealed class ResourceRemover(AwsSession session) : IDisposable
{
    /// <summary>How long deleting a security group waits for its instances to finish terminating.</summary>
    public static readonly TimeSpan InstanceDrainTimeout = TimeSpan.FromMinutes(5);

    private readonly IAmazonEC2 _ec2 = session.Ec2();
    private readonly IAmazonS3 _s3 = session.S3();
    private string? _accountId;

    public async Task<IReadOnlyList<RemovalStep>> FindAsync(RemovalScope scope, CancellationToken ct)
    {
        var steps = new List<RemovalStep>();
        var bucket = await BucketAsync(scope, ct);
        IReadOnlyList<string?> searches = scope.SearchIds.Count == 0 ? [null] : [.. scope.SearchIds];
        foreach (var searchId in searches)
            steps.AddRange(await FindSearchAsync(searchId, bucket, ct));
        if (bucket is not null && scope.SearchIds.Count == 0 && !scope.KeepBucket)
            steps.Add(new RemovalStep { Kind = CndResourceKind.S3Bucket, Id = bucket.Name, Description = $"S3 bucket {bucket.Name}", Bucket = bucket.Name });
        foreach (var name in await ExistingKeyPairsAsync(scope.KeyPairNames, ct))
            steps.Add(new RemovalStep { Kind = CndResourceKind.KeyPair, Id = name, Description = $"key pair {name}" });
        return steps;
    }

    /// <summary>The instances, security groups and bucket objects of one search, or of all (null).</summary>
    private async Task<IReadOnlyList<RemovalStep>> FindSearchAsync(string? searchId, ModuleBucket? bucket, CancellationToken ct)
    {
        var steps = new List<RemovalStep>();
        foreach (var i in await ModuleInstances.ListAsync(_ec2, searchId, ModuleInstances.LiveStates, ct))
        {
            var owner = ModuleInstances.Tag(i, CndTags.SearchId);
            steps.Add(new RemovalStep
            {
                Kind = CndResourceKind.Instance, Id = i.InstanceId, SearchId = owner, Action = "Terminate",
                Description = $"instance {i.InstanceId} of search {owner} ({i.State?.Name?.Value})",
            });
        }
        foreach (var group in await ModuleSecurityGroups.ListAsync(_ec2, searchId, ct))
        {
            var owner = group.Tags?.FirstOrDefault(t => t.Key == CndTags.SearchId)?.Value;
            steps.Add(new RemovalStep
            {
                Kind = CndResourceKind.SecurityGroup, Id = group.GroupId, SearchId = owner,
                Description = $"security group {group.GroupId} ({group.GroupName}) of search {owner}",
            });
        }
        if (bucket is null)
            return steps;
        var prefix = searchId is null ? "" : SearchObjectKeys.SearchPrefix(searchId);
        var keys = (await bucket.ListAsync(prefix, ct)).Select(o => o.Key).ToList();
        if (keys.Count > 0)
            steps.Add(new RemovalStep
            {
                Kind = CndResourceKind.S3Objects, Id = $"s3://{bucket.Name}/{prefix}", SearchId = searchId,
                Description = $"{keys.Count} object(s) under s3://{bucket.Name}/{prefix}", Bucket = bucket.Name, Keys = keys,
            });
        return steps;
    }

    /// <summary>Removes one step's resources and reports each removed thing.</summary>
    public async Task<IReadOnlyList<CndRemovedResource>> RemoveAsync(RemovalStep step, CancellationToken ct)
    {
        switch (step.Kind)
        {
            case CndResourceKind.Instance:
                await ModuleInstances.TerminateAsync(_ec2, [step.Id], ct);
                return [Removed(step, step.Id, "Terminated")];
            case CndResourceKind.SecurityGroup:
                if (!await ModuleSecurityGroups.DeleteAsync(_ec2, step.Id, InstanceDrainTimeout, ct))
                    throw new InvalidOperationException(
                        $"Security group {step.Id} is still in use {InstanceDrainTimeout.TotalMinutes:0} minutes after its instances were terminated; run Remove-CndResources again later.");
                return [Removed(step, step.Id, "Deleted")];
            case CndResourceKind.S3Objects:
                var deleted = await (await BucketAsync(step.Bucket!, ct)).DeleteAsync(step.Keys, ct);
                return deleted.Select(key => Removed(step, $"s3://{step.Bucket}/{key}", "Deleted")).ToList();
            case CndResourceKind.S3Bucket:
                await (await BucketAsync(step.Bucket!, ct)).DeleteBucketAsync(ct);
                return [Removed(step, step.Id, "Deleted")];
            case CndResourceKind.KeyPair:
                await _ec2.DeleteKeyPairAsync(new DeleteKeyPairRequest { KeyName = step.Id }, ct);
                return [Removed(step, step.Id, "Deleted")];
            default:
                throw new ArgumentOutOfRangeException(nameof(step), step.Kind, "Unknown resource kind.");
        }
    }

    public void Dispose()
    {
        _ec2.Dispose();
        _s3.Dispose();
    }

    private CndRemovedResource Removed(RemovalStep step, string id, string action) =>
        new() { Kind = step.Kind, Id = id, SearchId = step.SearchId, Action = action, Region = session.Region };

    private async Task<string> AccountIdAsync(CancellationToken ct) => _accountId ??= await Ec2Preflight.AccountIdAsync(session, ct);

    /// <summary>A bucket this account owns: S3 refuses every call on it otherwise.</summary>
    private async Task<ModuleBucket> BucketAsync(string name, CancellationToken ct) =>
        new(_s3, name, session.Region, session.S3UsesHttp, await AccountIdAsync(ct));

    private async Task<ModuleBucket?> BucketAsync(RemovalScope scope, CancellationToken ct)
    {
        var bucket = await BucketAsync(scope.Bucket ?? ModuleBucket.DefaultName(await AccountIdAsync(ct), session.Region), ct);
        return await bucket.ExistsAsync(ct) ? bucket : null;
    }

    private async Task<IReadOnlyList<string>> ExistingKeyPairsAsync(IReadOnlyList<string> names, CancellationToken ct)
    {
        var existing = new List<string>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            try
            {
                var pairs = await _ec2.DescribeKeyPairsAsync(new DescribeKeyPairsRequest { KeyNames = [name] }, ct);
                if (pairs.KeyPairs is { Count: > 0 })
                    existing.Add(name);
            }
            catch (AmazonEC2Exception e) when (e.ErrorCode == "InvalidKeyPair.NotFound")
            {
            }
        }
        return existing;
    }
}
