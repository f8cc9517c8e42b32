using CloudNonce.Engine.Native;

namespace CloudNonce.Engine.Tests.Support;

/// <summary>A fact about asking for a kernel this CPU (or this build) cannot run. Where every kernel
/// runs there is nothing to ask for, and the test is reported as skipped rather than passed.</summary>
public sealed class FactNeedingAnUnavailableKernelAttribute : FactAttribute
{
    public FactNeedingAnUnavailableKernelAttribute()
    {
        if (UnavailableKernel.Name is null)
            Skip = "every kernel the native library knows runs here, so none can be refused";
    }
}

/// <summary>The first kernel the native library names but cannot run here, if any.</summary>
public static class UnavailableKernel
{
    public static string? Name => NativeKernels.Names.Skip(1).Except(NativeKernels.Available()).FirstOrDefault();
}
