using System.Runtime.InteropServices;
using CloudNonce.Engine.Platform;

namespace CloudNonce.Engine.Tests.Platform;

/// <summary>The module's platform choices for Windows, Linux and macOS hosts, decided here on any host
/// through <see cref="HostDescription"/>.</summary>
public class HostPlatformTests
{
    private const string WindowsModule = @"C:\Users\ada\Documents\PowerShell\Modules\CloudNonce\0.1.0\bin";
    private const string LinuxModule = "/home/ada/.local/share/powershell/Modules/CloudNonce/0.1.0/bin";

    private static HostPlatform Host(HostOperatingSystem os, Architecture architecture, Dictionary<string, string>? variables = null) =>
        new(new HostDescription(os, architecture, name => variables?.GetValueOrDefault(name),
            os == HostOperatingSystem.Windows ? @"C:\Users\ada" : "/home/ada"));

    [Theory]
    [InlineData(HostOperatingSystem.Linux, Architecture.X64, "linux-x64")]
    [InlineData(HostOperatingSystem.Linux, Architecture.Arm64, "linux-arm64")]
    [InlineData(HostOperatingSystem.Windows, Architecture.X64, "win-x64")]
    [InlineData(HostOperatingSystem.Windows, Architecture.Arm64, "win-arm64")]
    [InlineData(HostOperatingSystem.MacOS, Architecture.Arm64, "osx-arm64")]
    public void RuntimeIdentifierNamesTheOperatingSystemAndArchitectureAsDotNetDoes(HostOperatingSystem os, Architecture architecture, string expected) =>
        Assert.Equal(expected, Host(os, architecture).RuntimeIdentifier);

    [Fact]
    public void ThisProcessIsDescribedWithTheRuntimeIdentifierDotNetReports() =>
        Assert.Equal(RuntimeInformation.RuntimeIdentifier, HostPlatform.Current.RuntimeIdentifier);

    [Theory]
    [InlineData(HostOperatingSystem.Linux, "cndhash", "libcndhash.so")]
    [InlineData(HostOperatingSystem.Linux, "libSkiaSharp", "libSkiaSharp.so")]
    [InlineData(HostOperatingSystem.Windows, "cndhash", "cndhash.dll")]
    [InlineData(HostOperatingSystem.Windows, "libSkiaSharp", "libSkiaSharp.dll")]
    public void NativeLibraryFileFollowsThePlatformsNaming(HostOperatingSystem os, string library, string expected) =>
        Assert.Equal(expected, Host(os, Architecture.X64).NativeLibraryFileName(library));

    [Fact]
    public void WindowsLoadsTheDllFromItsRuntimeFolderWithWindowsSeparators() =>
        Assert.Equal(WindowsModule + @"\runtimes\win-x64\native\cndhash.dll",
            Host(HostOperatingSystem.Windows, Architecture.X64).NativeLibraryPath(WindowsModule + @"\", "cndhash"));

    [Fact]
    public void LinuxLoadsTheSharedObjectFromItsRuntimeFolder()
    {
        Assert.Equal(LinuxModule + "/runtimes/linux-x64/native/libcndhash.so",
            Host(HostOperatingSystem.Linux, Architecture.X64).NativeLibraryPath(LinuxModule, "cndhash"));
        Assert.Equal(LinuxModule + "/runtimes/linux-arm64/native/libcndhash.so",
            Host(HostOperatingSystem.Linux, Architecture.Arm64).NativeLibraryPath(LinuxModule + "/", "cndhash"));
    }

    [Theory]
    [InlineData(HostOperatingSystem.MacOS, "osx-arm64", "macOS")]
    [InlineData(HostOperatingSystem.Other, "unknown-arm64", "Linux (linux-x64")]
    public void PlatformsWithoutANativeBuildAreNamedInTheError(HostOperatingSystem os, string rid, string alsoSays)
    {
        var error = Assert.Throws<PlatformNotSupportedException>(() => Host(os, Architecture.Arm64).NativeLibraryPath(LinuxModule, "cndhash"));
        Assert.Contains(rid, error.Message);
        Assert.Contains(alsoSays, error.Message);
        Assert.Contains("win-x64", error.Message);
    }

    [Theory]
    [InlineData(HostOperatingSystem.Windows)]
    [InlineData(HostOperatingSystem.Linux)]
    public void CloudNonceDataHomeWinsEverywhere(HostOperatingSystem os)
    {
        var host = Host(os, Architecture.X64, new()
        {
            [HostPlatform.DataHomeVariable] = "/tmp/own", ["LOCALAPPDATA"] = @"D:\AppData", ["XDG_DATA_HOME"] = "/srv/xdg",
        });
        Assert.Equal("/tmp/own", host.DataFolder);
    }

    [Fact]
    public void WindowsKeepsDataInLocalAppData()
    {
        Assert.Equal(@"D:\Profiles\ada\AppData\Local\CloudNonce",
            Host(HostOperatingSystem.Windows, Architecture.X64, new() { ["LOCALAPPDATA"] = @"D:\Profiles\ada\AppData\Local", ["XDG_DATA_HOME"] = "/srv/xdg" }).DataFolder);
        Assert.Equal(@"C:\Users\ada\AppData\Local\CloudNonce", Host(HostOperatingSystem.Windows, Architecture.X64).DataFolder);
    }

    [Fact]
    public void LinuxKeepsDataInTheXdgDataFolder()
    {
        Assert.Equal("/srv/xdg/cloudnonce", Host(HostOperatingSystem.Linux, Architecture.X64, new() { ["XDG_DATA_HOME"] = "/srv/xdg/" }).DataFolder);
        Assert.Equal("/home/ada/.local/share/cloudnonce", Host(HostOperatingSystem.Linux, Architecture.X64).DataFolder);
        Assert.Equal("/home/ada/.local/share/cloudnonce",
            Host(HostOperatingSystem.Linux, Architecture.X64, new() { ["XDG_DATA_HOME"] = "", [HostPlatform.DataHomeVariable] = "" }).DataFolder);
    }

    [Fact]
    public void DataFolderFollowsTheEnvironmentAsItChanges()
    {
        var variables = new Dictionary<string, string>();
        var host = Host(HostOperatingSystem.Linux, Architecture.X64, variables);
        Assert.Equal("/home/ada/.local/share/cloudnonce", host.DataFolder);
        variables[HostPlatform.DataHomeVariable] = "/tmp/later";
        Assert.Equal("/tmp/later", host.DataFolder);
    }

    [Theory]
    [InlineData(HostOperatingSystem.Windows, "x86_64", WindowsModule + @"\workers\linux-x64\cnd-scan")]
    [InlineData(HostOperatingSystem.Windows, "arm64", WindowsModule + @"\workers\linux-arm64\cnd-scan")]
    [InlineData(HostOperatingSystem.MacOS, "x86_64", LinuxModule + "/workers/linux-x64/cnd-scan")]
    [InlineData(HostOperatingSystem.Linux, "arm64", LinuxModule + "/workers/linux-arm64/cnd-scan")]
    public void WorkersAlwaysGetTheLinuxScannerOfTheirInstanceArchitecture(HostOperatingSystem os, string ec2Architecture, string expected)
    {
        var module = os == HostOperatingSystem.Windows ? WindowsModule : LinuxModule;
        Assert.Equal(expected, Host(os, Architecture.X64).WorkerScannerPath(module, ec2Architecture));
    }

    [Fact]
    public void AnEc2ArchitectureWithoutAScannerIsRefusedSayingWhatIsValid()
    {
        var error = Assert.Throws<ArgumentException>(() => HostPlatform.WorkerRuntimeIdentifier("i386"));
        Assert.Equal("ec2Architecture", error.ParamName);
        Assert.Contains("x86_64, arm64", error.Message);
    }
}
