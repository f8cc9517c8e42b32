using Amazon.EC2;
using Amazon.EC2.Model;

namespace CloudNonce.Engine.Aws;

/// <summary>Finds and deletes the security groups this module created (one per search), by their tags.</summary>
public static class ModuleSecurityGroups
{
    /// <summary>Every module group, or those of one search.</summary>
    public static async Task<IReadOnlyList<SecurityGroup>> ListAsync(IAmazonEC2 ec2, string? searchId, CancellationToken ct)
    {
        var filters = new List<Filter> { new() { Name = "tag-key", Values = [CndTags.CreatedBy] } };
        if (searchId is not null)
            filters.Add(new Filter { Name = "tag:" + CndTags.SearchId, Values = [searchId] });
        var groups = new List<SecurityGroup>();
        var request = new DescribeSecurityGroupsRequest { Filters = filters };
        do
        {
            var page = await ec2.DescribeSecurityGroupsAsync(request, ct);
            groups.AddRange(page.SecurityGroups ?? []);
            request.NextToken = page.NextToken;
        } while (!string.IsNullOrEmpty(request.NextToken));
        return groups;
    }

    /// <summary>Deletes a group. A group cannot go while an instance still uses it, and terminating
    /// instances hold it until they reach "terminated" (a minute or so on EC2): this waits up to
    /// <paramref name="drainTimeout"/> for them. Returns false when they still hold it then; a group
    /// that no longer exists counts as deleted.</summary>
    public static async Task<bool> DeleteAsync(IAmazonEC2 ec2, string groupId, TimeSpan drainTimeout, CancellationToken ct)
    {
        var giveUp = DateTime.UtcNow + drainTimeout;
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await ec2.DeleteSecurityGroupAsync(new DeleteSecurityGroupRequest { GroupId = groupId }, ct);
                return true;
            }
            catch (AmazonEC2Exception e) when (e.ErrorCode == "InvalidGroup.NotFound")
            {
                return true;
            }
            catch (AmazonEC2Exception e) when (e.ErrorCode == "DependencyViolation")
            {
                if (DateTime.UtcNow + delay > giveUp)
                    return false;
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    /// <summary>Deletes the module's groups that no instance uses any more and whose search is over
    /// (left by searches that ended before their instances were gone). A search still running may have
    /// no instance for a while (EC2 refusing launches): its group is spared until its search's power-off
    /// time (tag <see cref="CndTags.ExpiresAt"/>). Best effort: a group still held, or one we may not
    /// delete, is left for next time. Returns the ids deleted.</summary>
    public static async Task<IReadOnlyList<string>> SweepIdleAsync(IAmazonEC2 ec2, DateTimeOffset now, CancellationToken ct)
    {
        var groups = await ListAsync(ec2, null, ct);
        if (groups.Count == 0)
            return [];
        var held = (await ModuleInstances.ListAsync(ec2, null, ModuleInstances.HoldingStates, ct))
            .SelectMany(i => i.SecurityGroups ?? []).Select(g => g.GroupId).ToHashSet(StringComparer.Ordinal);
        var deleted = new List<string>();
        foreach (var group in groups.Where(g => !held.Contains(g.GroupId) && IsOver(g, now)))
        {
            try
            {
                if (await DeleteAsync(ec2, group.GroupId, TimeSpan.Zero, ct))
                    deleted.Add(group.GroupId);
            }
            catch (AmazonEC2Exception)
            {
                // Another search's group, or one we may not delete: it is not ours to fail on.
            }
        }
        return deleted;
    }

    private static bool IsOver(SecurityGroup group, DateTimeOffset now) =>
        !long.TryParse(group.Tags?.FirstOrDefault(t => t.Key == CndTags.ExpiresAt)?.Value, out var expires)
        || DateTimeOffset.FromUnixTimeSeconds(expires) < now;
}
