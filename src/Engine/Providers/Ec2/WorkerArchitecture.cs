using CloudNonce.Engine.Platform;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>A processor architecture EC2 workers run on: its name as EC2 spells it (instance types'
/// SupportedArchitectures, images' Architecture), the runtime id of its static scanner in the module
/// folder (bin/workers/&lt;rid&gt;/cnd-scan), and the public SSM parameter of its Amazon Linux 2023 AMI.</summary>
public sealed record WorkerArchitecture(string Ec2Name, string Rid)
{
    public static readonly WorkerArchitecture X86_64 = Of("x86_64");
    public static readonly WorkerArchitecture Arm64 = Of("arm64");

    private static WorkerArchitecture Of(string ec2Name) => new(ec2Name, HostPlatform.WorkerRuntimeIdentifier(ec2Name));

    /// <summary>Every architecture a worker scanner is built for, in order of preference when an
    /// instance type supports more than one.</summary>
    public static readonly IReadOnlyList<WorkerArchitecture> All = [X86_64, Arm64];

    private const string AmiParameterPrefix = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-";

    /// <summary>AWS publishes the current Amazon Linux 2023 AMI of every region under this name.</summary>
    public string AmiParameter => AmiParameterPrefix + Ec2Name;

    /// <summary>The scanner of this architecture in a module's workers folder.</summary>
    public string ScannerIn(string workersFolder) => Path.Combine(workersFolder, Rid, "cnd-scan");

    /// <summary>The architecture workers use on an instance type that supports these (EC2's names), or
    /// null when no worker scanner runs on any of them (e.g. i386 only, or the Mac types' x86_64_mac and arm64_mac).</summary>
    public static WorkerArchitecture? For(IEnumerable<string> supportedArchitectures)
    {
        var supported = supportedArchitectures.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return All.FirstOrDefault(a => supported.Contains(a.Ec2Name));
    }

    /// <summary>The architecture EC2 calls by this name, or null when no worker scanner is built for it.</summary>
    public static WorkerArchitecture? Named(string ec2Name) =>
        All.FirstOrDefault(a => string.Equals(a.Ec2Name, ec2Name, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => Ec2Name;
}
