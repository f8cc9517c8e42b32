using System.Runtime.InteropServices;

namespace CloudNonce.Engine.Platform;

/// <summary>Every choice the module makes by platform, in one place: the runtime identifier and the
/// native library file a host loads (runtimes/&lt;rid&gt;/native/ under the module's assemblies, as
/// NuGet lays out native assets), the per-user data folder, and the scanner an EC2 worker runs
/// (always a Linux binary, whatever the host). Built from a <see cref="HostDescription"/>, so the
/// Windows and Linux answers are unit-tested on either.</summary>
public sealed class HostPlatform(HostDescription host)
{
    /// <summary>Overrides the data folder on every platform (tests point it at a temporary folder).</summary>
    public const string DataHomeVariable = "CLOUDNONCE_DATA_HOME";

    /// <summary>The folder name under the platform's data root (XDG names are lower case by custom).</summary>
    private const string WindowsDataFolderName = "CloudNonce";
    private const string XdgDataFolderName = "cloudnonce";

    public static HostPlatform Current { get; } = new(HostDescription.OfThisProcess());

    public HostDescription Host { get; } = host;

    /// <summary>win-x64, linux-arm64, osx-arm64 …: the .NET runtime identifier of the host.</summary>
    public string RuntimeIdentifier => $"{OperatingSystemPart}-{ArchitecturePart(Host.Architecture)}";

    /// <summary>The file a library named <paramref name="libraryName"/> (as DllImport names it:
    /// "cndhash", "libSkiaSharp") has on this platform: cndhash.dll on Windows, libcndhash.so on Linux.</summary>
    /// <exception cref="PlatformNotSupportedException">macOS and other systems CloudNonce is not built for.</exception>
    public string NativeLibraryFileName(string libraryName) => Host.OperatingSystem switch
    {
        HostOperatingSystem.Windows => libraryName + ".dll",
        HostOperatingSystem.Linux => (libraryName.StartsWith("lib", StringComparison.Ordinal) ? "" : "lib") + libraryName + ".so",
        _ => throw NotBuiltFor(),
    };

    /// <summary>Where the module keeps a native library: runtimes/&lt;rid&gt;/native/ under <paramref name="assemblyFolder"/>.</summary>
    public string NativeLibraryPath(string assemblyFolder, string libraryName) =>
        Join(assemblyFolder, "runtimes", RuntimeIdentifier, "native", NativeLibraryFileName(libraryName));

    /// <summary>The per-user data folder: $CLOUDNONCE_DATA_HOME everywhere when set; else
    /// %LOCALAPPDATA%\CloudNonce on Windows; else $XDG_DATA_HOME/cloudnonce, or
    /// ~/.local/share/cloudnonce as the XDG base directory specification defaults it.</summary>
    public string DataFolder
    {
        get
        {
            if (Variable(DataHomeVariable) is { } own) return own;
            return Host.OperatingSystem == HostOperatingSystem.Windows
                ? Join(Variable("LOCALAPPDATA") ?? Join(Host.HomeFolder, "AppData", "Local"), WindowsDataFolderName)
                : Join(Variable("XDG_DATA_HOME") ?? Join(Host.HomeFolder, ".local", "share"), XdgDataFolderName);
        }
    }

    /// <summary>The scanner an EC2 worker downloads: workers/linux-&lt;arch&gt;/cnd-scan under
    /// <paramref name="assemblyFolder"/>. Workers run Amazon Linux whatever the host runs, so only the
    /// instance's architecture ("x86_64" or "arm64", as EC2 names it) matters.</summary>
    public string WorkerScannerPath(string assemblyFolder, string ec2Architecture) =>
        Join(assemblyFolder, "workers", WorkerRuntimeIdentifier(ec2Architecture), "cnd-scan");

    public static string WorkerRuntimeIdentifier(string ec2Architecture) => ec2Architecture switch
    {
        "x86_64" => "linux-x64",
        "arm64" => "linux-arm64",
        _ => throw new ArgumentException(
            $"EC2 architecture '{ec2Architecture}' has no worker scanner; valid: x86_64, arm64.", nameof(ec2Architecture)),
    };

    private string OperatingSystemPart => Host.OperatingSystem switch
    {
        HostOperatingSystem.Windows => "win",
        HostOperatingSystem.Linux => "linux",
        HostOperatingSystem.MacOS => "osx",
        _ => "unknown",
    };

    private static string ArchitecturePart(Architecture architecture) => architecture.ToString().ToLowerInvariant();

    private PlatformNotSupportedException NotBuiltFor() => new(
        $"CloudNonce's native core is not built for {RuntimeIdentifier}" +
        (Host.OperatingSystem == HostOperatingSystem.MacOS ? " (macOS is planned, not built yet)" : "") +
        ": it runs on Linux (linux-x64, linux-arm64) and Windows (win-x64).");

    private string? Variable(string name) => Host.ReadVariable(name) is { Length: > 0 } value ? value : null;

    /// <summary>Path.Combine with the described host's separator, so a Windows host's paths read as
    /// Windows paths even when the description is evaluated on Linux.</summary>
    private string Join(params string[] parts)
    {
        var separator = Host.OperatingSystem == HostOperatingSystem.Windows ? '\\' : '/';
        return string.Join(separator, parts.Select((part, i) => i == 0 ? part.TrimEnd('/', separator) : part.Trim('/', separator)));
    }
}
