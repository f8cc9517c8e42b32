namespace CloudNonce.Engine.Native;

/// <summary>A failure of libcndhash or of loading it. <see cref="Error"/> tells callers (the cmdlets)
/// which error id and category to report.</summary>
public sealed class CndNativeException(CndNativeError error, string message) : Exception(message)
{
    public CndNativeError Error { get; } = error;

    internal static CndNativeException FromStatus(int status, string kernelName, int threads) => status switch
    {
        (int)CndNativeError.InvalidArgument => new(CndNativeError.InvalidArgument,
            "The native scanner rejected its parameters (cnd_scan returned CND_ERR_INVALID_ARGUMENT)."),
        (int)CndNativeError.KernelUnavailable => KernelUnavailable(kernelName),
        (int)CndNativeError.OutOfMemory => new(CndNativeError.OutOfMemory, "The native scanner ran out of memory."),
        (int)CndNativeError.ThreadFailure => new(CndNativeError.ThreadFailure,
            $"The native scanner could not start its {threads} hashing thread(s)."),
        _ => new(CndNativeError.UnknownStatus, $"The native scanner returned an unknown status {status}."),
    };

    internal static CndNativeException KernelUnavailable(string kernelName) => new(CndNativeError.KernelUnavailable,
        $"Kernel '{kernelName}' is not available on this CPU or in this build. Available kernels: {string.Join(", ", NativeKernels.Available())}.");
}
