using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace CloudNonce.Engine.Platform;

/// <summary>Lets the dependencies' native libraries (the chart's SkiaSharp and HarfBuzzSharp) load from
/// runtimes/&lt;rid&gt;/native/ beside the assembly that imports them. An application finds them there
/// through its deps.json, but PowerShell does not read a module's deps.json, so without this P/Invoke
/// looks only beside the assembly and in pwsh's own folder.</summary>
internal static class DependencyNativeLibraries
{
    private static int _registered;

    /// <summary>Registers the fallback once per process; the loader tries it only after its own search failed.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        var context = AssemblyLoadContext.GetLoadContext(typeof(DependencyNativeLibraries).Assembly) ?? AssemblyLoadContext.Default;
        context.ResolvingUnmanagedDll += LoadFromRuntimesFolder;
    }

    private static nint LoadFromRuntimesFolder(Assembly requester, string libraryName)
    {
        if (Path.GetDirectoryName(requester.Location) is not { Length: > 0 } folder) return 0;
        try
        {
            return NativeLibrary.TryLoad(HostPlatform.Current.NativeLibraryPath(folder, libraryName), out var handle) ? handle : 0;
        }
        catch (PlatformNotSupportedException)
        {
            return 0; // the loader's own DllNotFoundException then says what was missing
        }
    }
}
