using System.Reflection;
using System.Runtime.InteropServices;
using CloudNonce.Engine.Platform;

namespace CloudNonce.Engine.Native;

/// <summary>Finds and loads libcndhash once per process. The module can live anywhere (bin/ of a
/// clone, an installed module folder), so the library is looked for under this assembly's folder, in
/// runtimes/&lt;rid&gt;/native/ as NuGet lays out native assets, rather than on the loader's search
/// path (<see cref="HostPlatform"/> names the folder and file); a missing or mismatched library fails
/// with a message that says where it looked.</summary>
public static class CndLibrary
{
    public const int ExpectedAbiVersion = 1;

    private static readonly Lazy<nint> Handle = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The library's file on this platform (libcndhash.so, cndhash.dll).</summary>
    public static string FileName => HostPlatform.Current.NativeLibraryFileName(NativeMethods.Library);

    /// <summary>Where the library is expected: runtimes/&lt;rid&gt;/native/ under the engine assembly's folder.</summary>
    public static string ExpectedPath => HostPlatform.Current.NativeLibraryPath(AssemblyFolder, NativeMethods.Library);

    private static string AssemblyFolder =>
        Path.GetDirectoryName(typeof(CndLibrary).Assembly.Location) ?? AppContext.BaseDirectory;

    /// <summary>Loads the library (first call only) and checks its ABI version.</summary>
    /// <exception cref="CndNativeException">The library is missing, unloadable or of another ABI.</exception>
    /// <exception cref="PlatformNotSupportedException">The native core is not built for this platform (macOS).</exception>
    public static void EnsureLoaded() => _ = Handle.Value;

    private static nint Load()
    {
        var path = ExpectedPath;
        if (!NativeLibrary.TryLoad(path, out var handle))
        {
            throw new CndNativeException(CndNativeError.LibraryNotFound,
                $"The native hashing library was not found or could not be loaded: {path}. " +
                "Build it with 'cmake -S src/HashCore -B build/native -DCMAKE_BUILD_TYPE=Release && cmake --build build/native' " +
                $"and copy {FileName} to runtimes/{HostPlatform.Current.RuntimeIdentifier}/native/ beside {Path.GetFileName(typeof(CndLibrary).Assembly.Location)} (build.ps1 Build does both).");
        }
        NativeLibrary.SetDllImportResolver(typeof(CndLibrary).Assembly, (name, _, _) => name == NativeMethods.Library ? handle : 0);
        var abi = NativeMethods.AbiVersion();
        if (abi != ExpectedAbiVersion)
        {
            throw new CndNativeException(CndNativeError.AbiMismatch,
                $"{path} has ABI version {abi}, but this engine was built for version {ExpectedAbiVersion}: rebuild the module and the native library together.");
        }
        return handle;
    }
}
