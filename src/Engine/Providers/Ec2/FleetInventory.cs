using System.Globalization;
using Amazon.EC2.Model;
using CloudNonce.Engine.Aws;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Lists the module's instances with what each was asked to do and how far it got: the
/// instance tags lead to the launch manifest (slot and range by launch index) and the slot's reports.</summary>
public static class FleetInventory
{
    public static async Task<IReadOnlyList<CndFleetInstance>> ListAsync(AwsSession session, string? searchId, CancellationToken ct)
    {
        using var ec2 = session.Ec2();
        using var s3 = session.S3();
        var instances = await ModuleInstances.ListAsync(ec2, searchId, null, ct);
        var manifests = new Dictionary<(string Bucket, string Key), LaunchManifest?>();
        var listing = new List<CndFleetInstance>();
        foreach (var instance in instances.OrderBy(i => ModuleInstances.Tag(i, CndTags.SearchId), StringComparer.Ordinal).ThenBy(i => i.LaunchTime))
        {
            var id = ModuleInstances.Tag(instance, CndTags.SearchId) ?? "";
            var slot = await SlotOfAsync(instance, id, session, s3, manifests, ct);
            var bucket = ModuleInstances.Tag(instance, CndTags.Bucket);
            listing.Add(new CndFleetInstance
            {
                SearchId = id,
                InstanceId = instance.InstanceId,
                State = instance.State?.Name?.Value ?? "unknown",
                InstanceType = instance.InstanceType?.Value ?? "",
                Slot = slot?.Slot,
                NonceRange = slot is null ? null : string.Create(CultureInfo.InvariantCulture, $"{slot.Start}-{slot.End}"),
                Progress = slot is null || bucket is null ? null : await ProgressAsync(new ModuleBucket(s3, bucket, session.Region, session.S3UsesHttp), id, slot, ct),
                LaunchTime = instance.LaunchTime,
                LaunchIndex = instance.AmiLaunchIndex,
                Region = session.Region,
            });
        }
        return listing;
    }

    private static async Task<ManifestSlot?> SlotOfAsync(Instance instance, string searchId, AwsSession session, Amazon.S3.IAmazonS3 s3,
        Dictionary<(string, string), LaunchManifest?> manifests, CancellationToken ct)
    {
        var bucket = ModuleInstances.Tag(instance, CndTags.Bucket);
        if (bucket is null || !int.TryParse(ModuleInstances.Tag(instance, CndTags.Launch), CultureInfo.InvariantCulture, out var launch))
            return null;
        var key = (bucket, SearchObjectKeys.Manifest(searchId, launch));
        if (!manifests.TryGetValue(key, out var manifest))
        {
            manifest = await ReadAsync(new ModuleBucket(s3, bucket, session.Region, session.S3UsesHttp), key.Item2, LaunchManifest.Parse, ct);
            manifests[key] = manifest;
        }
        return manifest?.Slots.FirstOrDefault(s => s.LaunchIndex == instance.AmiLaunchIndex);
    }

    /// <summary>Percent of the slot's range below the worker's checkpoint; 100 once its scan covered it.</summary>
    private static async Task<double?> ProgressAsync(ModuleBucket bucket, string searchId, ManifestSlot slot, CancellationToken ct)
    {
        var size = (double)slot.End - slot.Start + 1;
        var result = await ReadAsync(bucket, SearchObjectKeys.Result(searchId, slot.Slot, slot.Attempt), WorkerResult.Parse, ct);
        if (result?.Scan is { } scan)
            return scan.Status is "exhausted" or "found" ? 100 : Percent(scan.NextNonce, slot.Start, size);
        var progress = await ReadAsync(bucket, SearchObjectKeys.Progress(searchId, slot.Slot, slot.Attempt), WorkerProgress.Parse, ct);
        return progress is null ? null : Percent(progress.NextNonce, slot.Start, size);
    }

    private static double Percent(ulong nextNonce, uint start, double size) =>
        Math.Round(Math.Clamp((nextNonce - Math.Min(nextNonce, start)) / size * 100, 0, 100), 1);

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
