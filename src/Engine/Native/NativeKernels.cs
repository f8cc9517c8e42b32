using System.Runtime.InteropServices;

namespace CloudNonce.Engine.Native;

/// <summary>The hashing kernels libcndhash was built with, as names ("scalar", "avx2", …).
/// The library is the one source of the list, so a kernel added there needs no change here.</summary>
public static unsafe class NativeKernels
{
    public const string Auto = "auto";
    private const int AutoId = 0;

    private static readonly Lazy<IReadOnlyList<string>> AllNames = new(ReadNames);

    /// <summary>"auto" followed by every kernel the library knows, available here or not.</summary>
    public static IReadOnlyList<string> Names => AllNames.Value;

    /// <summary>Kernels that can run on this CPU (and were compiled into this build).</summary>
    public static IReadOnlyList<string> Available()
    {
        CndLibrary.EnsureLoaded();
        return Names.Skip(1).Where(n => NativeMethods.KernelAvailable(IdOf(n)) != 0).ToArray();
    }

    /// <summary>The kernel "auto" resolves to on this CPU.</summary>
    public static string Best()
    {
        CndLibrary.EnsureLoaded();
        return NameOf(NativeMethods.BestKernel());
    }

    public static int OnlineCores()
    {
        CndLibrary.EnsureLoaded();
        return Math.Max(1, NativeMethods.OnlineCores());
    }

    /// <summary>The concrete kernel a name stands for ("auto" → the best one here).</summary>
    public static string Resolve(string name) => NameOf(ResolveId(name));

    internal static int ResolveId(string name)
    {
        var id = IdOf(name);
        if (id == AutoId) return NativeMethods.BestKernel();
        return NativeMethods.KernelAvailable(id) != 0 ? id : throw CndNativeException.KernelUnavailable(name);
    }

    internal static int IdOf(string name)
    {
        CndLibrary.EnsureLoaded();
        var id = NativeMethods.KernelFromName(name.ToLowerInvariant());
        return id >= 0 ? id : throw new CndNativeException(CndNativeError.UnknownKernel,
            $"Unknown kernel '{name}'. Valid kernels: {string.Join(", ", Names)}.");
    }

    internal static string NameOf(int id) =>
        Marshal.PtrToStringUTF8((nint)NativeMethods.KernelName(id)) ?? $"kernel {id}";

    private static IReadOnlyList<string> ReadNames()
    {
        CndLibrary.EnsureLoaded();
        var names = new List<string> { Auto };
        for (var id = AutoId + 1; NativeMethods.KernelName(id) is var name && name != null; id++)
        {
            names.Add(Marshal.PtrToStringUTF8((nint)name)!);
        }
        return names;
    }
}
