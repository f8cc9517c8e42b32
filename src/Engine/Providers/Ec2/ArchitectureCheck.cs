using CloudNonce.Engine.Aws;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Which worker architecture each instance type of a search needs, checked before anything is
/// created. It takes a set of types, so a search over several types (or types chosen automatically) is
/// checked as one: a set that mixes architectures is fine by itself (each architecture gets its own
/// Amazon Linux AMI and scanner), but one custom image cannot serve two architectures.</summary>
public static class ArchitectureCheck
{
    /// <summary>Each type's worker architecture, keyed by type; refuses types no worker scanner runs on.</summary>
    public static IReadOnlyDictionary<string, WorkerArchitecture> Of(IReadOnlyList<InstanceTypeFacts> types)
    {
        var byType = new Dictionary<string, WorkerArchitecture>(StringComparer.OrdinalIgnoreCase);
        foreach (var type in types)
        {
            byType[type.InstanceType] = WorkerArchitecture.For(type.SupportedArchitectures)
                ?? throw new AwsConfigurationException(
                    $"The instance type '{type.InstanceType}' runs {Spell(type.SupportedArchitectures)}; the worker scanner cnd-scan is built for " +
                    $"{string.Join(" and ", WorkerArchitecture.All)} only: choose a type of one of those (e.g. c7i.large for x86_64, c7g.large for arm64).");
        }
        return byType;
    }

    /// <summary>The architectures a set of types needs (each gets a scanner upload and, without -ImageId, an AMI).</summary>
    public static IReadOnlyList<WorkerArchitecture> Needed(IReadOnlyDictionary<string, WorkerArchitecture> byType) =>
        WorkerArchitecture.All.Where(byType.Values.Contains).ToList();

    /// <summary>A custom image runs only on instance types of its own architecture: refused, naming both,
    /// when any type of the set runs another. An image whose architecture EC2 does not report passes.</summary>
    public static void CheckImage(string imageId, string? imageArchitecture, IReadOnlyDictionary<string, WorkerArchitecture> byType)
    {
        if (imageArchitecture is null)
            return;
        var others = byType.Where(t => !string.Equals(t.Value.Ec2Name, imageArchitecture, StringComparison.OrdinalIgnoreCase)).ToList();
        if (others.Count == 0)
            return;
        var wanted = string.Join(" or ", others.Select(t => t.Value).Distinct());
        var types = others.Count == 1
            ? $"instance type '{others[0].Key}' runs {others[0].Value}"
            : $"instance types {string.Join(", ", others.Select(t => $"'{t.Key}' ({t.Value})"))} run {wanted}";
        var mixed = Needed(byType).Count > 1
            ? " One -ImageId cannot serve instance types of two architectures: pass types of one architecture, or leave -ImageId out."
            : "";
        throw new AwsConfigurationException(
            $"The AMI '{imageId}' is built for {imageArchitecture}, but {types}: pass an {wanted} image as -ImageId " +
            $"(one whose cloud-init runs user-data, with bash and curl), or leave -ImageId out for the region's Amazon Linux 2023.{mixed}");
    }

    private static string Spell(IReadOnlyList<string> architectures) =>
        architectures.Count == 0 ? "an architecture EC2 does not report" : string.Join("/", architectures);
}
