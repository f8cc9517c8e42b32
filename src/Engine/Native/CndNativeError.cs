namespace CloudNonce.Engine.Native;

/// <summary>Why the native layer failed; negative values are cnd_status error codes.</summary>
public enum CndNativeError
{
    InvalidArgument = -1,
    KernelUnavailable = -2,
    OutOfMemory = -3,
    ThreadFailure = -4,
    LibraryNotFound = -100,
    AbiMismatch = -101,
    UnknownKernel = -102,
    UnknownStatus = -103,
}
