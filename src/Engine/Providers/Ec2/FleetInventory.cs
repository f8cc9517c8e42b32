using System.Globalization;
using Amazon.EC2.Model;
using Amazon.S3;
using CloudNonce.Engine.Aws;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Lists the module's instances with what each was asked to do and how far it got: the
/// instance tags lead to the launch manifest (slot and range by launch index) and the slot's reports.</summary>
public sealed class FleetInventory : IDisposable
{
    private readonly AwsSession _session;
    private readonly Amazon.EC2.IAmazonEC2 _ec2;
    private readonly IAmazonS3 _s3;
    private readonly Dictionary<(string Bucket, string Key), LaunchManifest?> _manifests = [];
    private string? _accountId;

    public FleetInventory(AwsSession session)
    {
        _session = session;
        _ec2 = session.Ec2();
        _s3 = session.S3();
    }

    public static async Task<IReadOnlyList<CndFleetInstance>> ListAsync(AwsSession session, string? searchId, CancellationToken ct)
    {
        using var inventory = new FleetInventory(session);
        return await inventory.ListAsync(searchId, ct);
    }

    public async Task<IReadOnlyList<CndFleetInstance>> ListAsync(string? searchId, CancellationToken ct)
    {
        var instances = await ModuleInstances.ListAsync(_ec2, searchId, null, ct);
        var listing = new List<CndFleetInstance>();
        foreach (var instance in instances.OrderBy(i => ModuleInstances.Tag(i, CndTags.SearchId), StringComparer.Ordinal).ThenBy(i => i.LaunchTime))
        {
            var id = ModuleInstances.Tag(instance, CndTags.SearchId) ?? "";
            var bucketName = ModuleInstances.Tag(instance, CndTags.Bucket);
            var bucket = bucketName is null ? null
                : new ModuleBucket(_s3, bucketName, _session.Region, _session.S3UsesHttp, _accountId ??= await Ec2Preflight.AccountIdAsync(_session, ct));
            var slot = bucket is null ? null : await SlotOfAsync(instance, id, bucket, ct);
            listing.Add(new CndFleetInstance
            {
                SearchId = id,
                InstanceId = instance.InstanceId,
                State = instance.State?.Name?.Value ?? "unknown",
                InstanceType = instance.InstanceType?.Value ?? "",
                Slot = slot?.Slot,
                NonceRange = slot is null ? null : string.Create(CultureInfo.InvariantCulture, $"{slot.Start}-{slot.End}"),
                Progress = slot is null ? null : await ProgressAsync(bucket!, id, slot, ct),
                LaunchTime = instance.LaunchTime,
                LaunchIndex = instance.AmiLaunchIndex,
                Region = _session.Region,
            });
        }
        return listing;
    }

    public void Dispose()
    {
        _ec2.Dispose();
        _s3.Dispose();
    }

    private async Task<ManifestSlot?> SlotOfAsync(Instance instance, string searchId, ModuleBucket bucket, CancellationToken ct)
    {
        if (!int.TryParse(ModuleInstances.Tag(instance, CndTags.Launch), CultureInfo.InvariantCulture, out var launch))
            return null;
        var key = (bucket.Name, SearchObjectKeys.Manifest(searchId, launch));
        if (!_manifests.TryGetValue(key, out var manifest))
            _manifests[key] = manifest = await ReadAsync(bucket, key.Item2, LaunchManifest.Parse, ct);
        return manifest?.Slots.FirstOrDefault(s => s.LaunchIndex == instance.AmiLaunchIndex);
    }

    /// <summary>Percent of the slot's range below the worker's checkpoint; 100 once its scan covered it.</summary>
    private static async Task<double?> ProgressAsync(ModuleBucket bucket, string searchId, ManifestSlot slot, CancellationToken ct)
    {
        var result = await ReadAsync(bucket, SearchObjectKeys.Result(searchId, slot.Slot, slot.Attempt), WorkerResult.Parse, ct);
        if (result?.Scan is { } scan)
            return scan.Status is "exhausted" or "found" ? 100 : Percent(scan.NextNonce, slot);
        var progress = await ReadAsync(bucket, SearchObjectKeys.Progress(searchId, slot.Slot, slot.Attempt), WorkerProgress.Parse, ct);
        return progress is null ? null : Percent(progress.NextNonce, slot);
    }

    private static double Percent(ulong nextNonce, ManifestSlot slot)
    {
        var size = (double)slot.End - slot.Start + 1;
        var scanned = nextNonce > slot.Start ? nextNonce - slot.Start : 0;
        return Math.Round(Math.Min(100, scanned / size * 100), 1);
    }

    /// <summary>Reads and parses an object; a missing, unreadable or malformed one is simply unknown here.</summary>
    private static async Task<T?> ReadAsync<T>(ModuleBucket bucket, string key, Func<string, T> parse, CancellationToken ct) where T : class
    {
        try
        {
            return await bucket.GetTextOrNullAsync(key, ct) is { } text ? parse(text) : null;
        }
        catch (Exception e) when (e is Amazon.Runtime.AmazonServiceException or System.Text.Json.JsonException or FormatException)
        {
            return null;
        }
    }
}
