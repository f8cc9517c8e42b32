using System.Runtime.InteropServices;

namespace CloudNonce.Engine.Platform;

/// <summary>What <see cref="HostPlatform"/> decides from: the operating system, the process's
/// architecture, the environment and the user's home folder. Tests describe a Windows or Linux host
/// here instead of needing one.</summary>
/// <param name="OperatingSystem">The host's operating system.</param>
/// <param name="Architecture">The process's architecture (x64 on an x64 pwsh, even under emulation).</param>
/// <param name="ReadVariable">Reads an environment variable (null when unset). Read at each use, not
/// once: a session may set $env:CLOUDNONCE_DATA_HOME after the module is loaded.</param>
/// <param name="HomeFolder">The user's home folder (the XDG and Windows defaults hang off it).</param>
public sealed record HostDescription(
    HostOperatingSystem OperatingSystem,
    Architecture Architecture,
    Func<string, string?> ReadVariable,
    string HomeFolder)
{
    public static HostDescription OfThisProcess() => new(
        System.OperatingSystem.IsWindows() ? HostOperatingSystem.Windows
            : System.OperatingSystem.IsLinux() ? HostOperatingSystem.Linux
            : System.OperatingSystem.IsMacOS() ? HostOperatingSystem.MacOS
            : HostOperatingSystem.Other,
        RuntimeInformation.ProcessArchitecture,
        Environment.GetEnvironmentVariable,
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify));
}
