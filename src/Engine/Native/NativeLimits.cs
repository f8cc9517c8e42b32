namespace CloudNonce.Engine.Native;

/// <summary>Limits of libcndhash that callers check before they call it, so that a value the library
/// would quietly change is refused where the user can see why.</summary>
public static class NativeLimits
{
    /// <summary>CND_MAX_THREADS of cndhash.h: cnd_scan runs at most this many hashing threads and cuts a
    /// larger request to it. The tests check through the library that the two agree.</summary>
    public const int MaxThreads = 1024;
}
