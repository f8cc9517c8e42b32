using System.Runtime.InteropServices;

namespace CloudNonce.Engine.Native;

/// <summary>The libcndhash entry points. Call them only after <see cref="CndLibrary.EnsureLoaded"/>,
/// which registers the resolver that finds the library next to this assembly.</summary>
internal static unsafe partial class NativeMethods
{
    internal const string Library = "cndhash";

    // Values of cnd_mode; only the append-big-endian layout is used by CloudNonce searches.
    internal const int ModeAppendBigEndian = 0;

    [LibraryImport(Library, EntryPoint = "cnd_scan")]
    internal static partial int Scan(NativeScanParams* parameters, NativeScanResult* result);

    [LibraryImport(Library, EntryPoint = "cnd_kernel_available")]
    internal static partial int KernelAvailable(int kernel);

    [LibraryImport(Library, EntryPoint = "cnd_kernel_name")]
    internal static partial byte* KernelName(int kernel);

    [LibraryImport(Library, EntryPoint = "cnd_kernel_from_name", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int KernelFromName(string name);

    [LibraryImport(Library, EntryPoint = "cnd_best_kernel")]
    internal static partial int BestKernel();

    [LibraryImport(Library, EntryPoint = "cnd_online_cores")]
    internal static partial int OnlineCores();

    [LibraryImport(Library, EntryPoint = "cnd_abi_version")]
    internal static partial int AbiVersion();
}
