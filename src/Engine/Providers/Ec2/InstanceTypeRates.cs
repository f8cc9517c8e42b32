using System.Collections.Frozen;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>The documented per-instance-type table the planner uses until rates are measured on EC2.
///
/// Where the numbers come from: sha256d rates of the fast public scanners measured on an AMD EPYC
/// Zen 4 with AVX-512 and SHA-NI (shared/hashcore-notes.md: 26 M nonces/s per core, 51.5 M on two),
/// scaled per physical core. Zen 4 types (c7a, m7a) give every vCPU a core; Intel types with SMT
/// (c7i, c6i, m7i) share a core between two vCPUs, which adds little to SIMD-bound hashing, so
/// they count about 15 M/s per vCPU; Zen 3 (c6a) has SHA-NI but no AVX-512 (~11 M/s per vCPU);
/// Skylake-era c5 has AVX-512 but no SHA-NI (~9 M/s per vCPU). Unlisted x86-64 types fall back to
/// <see cref="FallbackPerVCpu"/> per vCPU, deliberately low so plans err towards more workers.
/// Boot overhead: Amazon Linux 2023 reaches user-data in about 15–25 s; with IMDS, two presigned
/// downloads and jitter, 40 s is the planning figure for every type.
///
/// Graviton types (arm64) are estimates that nothing has measured yet, and their source says so in
/// the plan: the aarch64 scanner's speed is known only under emulation, which says nothing about real
/// cores. Each vCPU is a whole core. A SHA-256 compression with the ARMv8 SHA-2 instructions is 16
/// SHA256H/SHA256H2 pairs plus 12 schedule pairs, about 60 cycles per compression when several
/// nonces are interleaved, two compressions per nonce: about 120 cycles, so ~20 M/s per core at
/// 2.6 GHz. The table takes well under that so plans err towards more workers: Graviton3 (c7g,
/// m7g) 12 M/s per vCPU, Graviton4 (c8g) 14 M/s, Graviton2 (t4g, burstable: a full-speed scan runs
/// above its baseline and bills CPU credits) 8 M/s. Measure-CndPerformance -Provider EC2 replaces
/// them with measured figures.</summary>
public static class InstanceTypeRates
{
    public static readonly TimeSpan BootOverhead = TimeSpan.FromSeconds(40);
    public const double FallbackPerVCpu = 8e6;

    private const string TableSource = "documented estimate (InstanceTypeRates)";
    private const string GravitonSource =
        "unmeasured estimate for Graviton (InstanceTypeRates); Measure-CndPerformance -Provider EC2 measures it";

    private static readonly FrozenDictionary<string, double> PerVCpuByFamily = new Dictionary<string, double>
    {
        ["c7a"] = 25e6, ["m7a"] = 25e6, ["r7a"] = 25e6,
        ["c7i"] = 15e6, ["m7i"] = 15e6, ["c6i"] = 13e6, ["m6i"] = 13e6,
        ["c6a"] = 11e6, ["m6a"] = 11e6,
        ["c5"] = 9e6, ["m5"] = 9e6,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, double> GravitonPerVCpuByFamily = new Dictionary<string, double>
    {
        ["c7g"] = 12e6, ["m7g"] = 12e6, ["c8g"] = 14e6, ["t4g"] = 8e6,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Standard EC2 sizes and their vCPUs, so the table needs no AWS call.</summary>
    private static readonly FrozenDictionary<string, int> VCpusBySize = new Dictionary<string, int>
    {
        ["medium"] = 1, ["large"] = 2, ["xlarge"] = 4, ["2xlarge"] = 8, ["4xlarge"] = 16, ["8xlarge"] = 32,
        ["12xlarge"] = 48, ["16xlarge"] = 64, ["24xlarge"] = 96, ["32xlarge"] = 128, ["48xlarge"] = 192,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Burstable sizes below large have two vCPUs, not what their name suggests elsewhere.</summary>
    private static readonly FrozenDictionary<string, int> BurstableVCpusBySize = new Dictionary<string, int>
    {
        ["nano"] = 2, ["micro"] = 2, ["small"] = 2, ["medium"] = 2,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether the table has a figure of its own for the type's family (not the fallback).</summary>
    public static bool Documents(string instanceType) =>
        PerVCpuByFamily.ContainsKey(instanceType.Split('.')[0]);

    /// <summary>The table's figure for a type; <paramref name="vcpus"/> (from DescribeInstanceTypes)
    /// overrides the size name when known.</summary>
    public static InstanceTypeRate For(string instanceType, int? vcpus = null)
    {
        var dot = instanceType.IndexOf('.');
        var family = dot > 0 ? instanceType[..dot] : instanceType;
        var size = dot > 0 ? instanceType[(dot + 1)..] : "";
        var sizes = family.StartsWith('t') ? BurstableVCpusBySize : VCpusBySize;
        var cpus = vcpus ?? (sizes.TryGetValue(size, out var n) || VCpusBySize.TryGetValue(size, out n) ? n : 2);
        if (PerVCpuByFamily.TryGetValue(family, out var perVCpu))
            return new InstanceTypeRate(instanceType, perVCpu * cpus, BootOverhead, TableSource);
        if (GravitonPerVCpuByFamily.TryGetValue(family, out perVCpu))
            return new InstanceTypeRate(instanceType, perVCpu * cpus, BootOverhead, GravitonSource);
        return new InstanceTypeRate(instanceType, FallbackPerVCpu * cpus, BootOverhead,
            $"fallback: {FallbackPerVCpu:0.#e0} nonces/s per vCPU × {cpus} vCPU (family '{family}' is not in the table)");
    }
}
