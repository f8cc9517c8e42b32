namespace CloudNonce.Engine.Native;

/// <summary>A progress callback's view of a running scan. Every nonce from the start up to
/// NextNonce (exclusive) is scanned: a safe checkpoint.</summary>
public readonly record struct ScanProgress(ulong NextNonce, ulong Hashes, TimeSpan Elapsed, double NoncesPerSecond);
