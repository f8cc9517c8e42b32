using Amazon.EC2;
using Amazon.EC2.Model;

namespace CloudNonce.Engine.Aws;

/// <summary>Finds and ends the instances this module launched, by their tags.</summary>
public static class ModuleInstances
{
    /// <summary>States in which an instance still runs (or will) and costs money.</summary>
    public static readonly IReadOnlyList<string> LiveStates = ["pending", "running", "stopping", "stopped"];

    /// <summary>States in which an instance still holds its security group (it cannot be deleted yet).</summary>
    public static readonly IReadOnlyList<string> HoldingStates = [.. LiveStates, "shutting-down"];

    /// <summary>Every module instance, or those of one search; optionally only in the given states.</summary>
    public static async Task<IReadOnlyList<Instance>> ListAsync(IAmazonEC2 ec2, string? searchId, IReadOnlyList<string>? states, CancellationToken ct)
    {
        var filters = new List<Filter> { new() { Name = "tag-key", Values = [CndTags.CreatedBy] } };
        if (searchId is not null)
            filters.Add(new Filter { Name = "tag:" + CndTags.SearchId, Values = [searchId] });
        if (states is not null)
            filters.Add(new Filter { Name = "instance-state-name", Values = [.. states] });
        var instances = new List<Instance>();
        var request = new DescribeInstancesRequest { Filters = filters };
        do
        {
            var page = await ec2.DescribeInstancesAsync(request, ct);
            instances.AddRange((page.Reservations ?? []).SelectMany(r => r.Instances ?? []));
            request.NextToken = page.NextToken;
        } while (!string.IsNullOrEmpty(request.NextToken));
        return instances;
    }

    /// <summary>Terminates instances in batches of the API's maximum; returns the ids it asked to end.</summary>
    public static async Task<IReadOnlyList<string>> TerminateAsync(IAmazonEC2 ec2, IEnumerable<string> instanceIds, CancellationToken ct)
    {
        var ids = instanceIds.Distinct(StringComparer.Ordinal).ToList();
        foreach (var batch in ids.Chunk(1000))
            await ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [.. batch] }, ct);
        return ids;
    }

    public static string? Tag(Instance instance, string key) => instance.Tags?.FirstOrDefault(t => t.Key == key)?.Value;
}
