using System.Security.Cryptography;
using CloudNonce.Engine.Aws;
using CloudNonce.Engine.Hashing;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>The scanners of one search in the module bucket, one per architecture its instance types
/// need, each content-addressed (scanners/&lt;sha256&gt;/cnd-scan) so the x86_64 and the aarch64 builds
/// sit side by side and every search with the same build shares one upload.</summary>
public sealed class WorkerScanners(IReadOnlyDictionary<WorkerArchitecture, ScannerObject> byArchitecture)
{
    /// <summary>The scanner a launch of this architecture puts in its manifest.</summary>
    public ScannerObject For(WorkerArchitecture architecture) =>
        byArchitecture.TryGetValue(architecture, out var scanner)
            ? scanner
            : throw new InvalidOperationException($"No {architecture} scanner was uploaded for this search (uploaded: {string.Join(", ", byArchitecture.Keys)}).");

    public IReadOnlyCollection<WorkerArchitecture> Architectures => byArchitecture.Keys.ToList();

    /// <summary>The scanner file of each architecture, refused before anything is created when one is missing.</summary>
    public static IReadOnlyDictionary<WorkerArchitecture, string> Locate(IEnumerable<LaunchTarget> targets, Func<WorkerArchitecture, string> pathFor)
    {
        var files = new Dictionary<WorkerArchitecture, string>();
        foreach (var group in targets.GroupBy(t => t.Architecture))
        {
            var path = pathFor(group.Key);
            if (!File.Exists(path))
                throw new FileNotFoundException(
                    $"The {group.Key} worker scanner '{path}' (for instance type {string.Join(", ", group.Select(t => t.InstanceType).Distinct())}) " +
                    $"does not exist: build the module with ./build.ps1 Build, which builds bin/workers/{group.Key.Rid}/cnd-scan " +
                    $"(a static cnd-scan for {group.Key}, from src/HashCore).", path);
            files[group.Key] = path;
        }
        return files;
    }

    /// <summary>Uploads each scanner once under its content address.</summary>
    public static async Task<WorkerScanners> UploadAsync(ModuleBucket bucket, IReadOnlyDictionary<WorkerArchitecture, string> files, CancellationToken ct)
    {
        var uploaded = new Dictionary<WorkerArchitecture, ScannerObject>();
        foreach (var (architecture, path) in files)
        {
            string sha;
            await using (var file = File.OpenRead(path))
                sha = HexText.Lower(await SHA256.HashDataAsync(file, ct));
            var key = SearchObjectKeys.Scanner(sha);
            await bucket.UploadOnceAsync(key, path, new Dictionary<string, string> { [CndTags.CreatedBy] = CndTags.CreatedByValue }, ct);
            uploaded[architecture] = new ScannerObject(key, sha);
        }
        return new WorkerScanners(uploaded);
    }
}
