using System.Runtime.InteropServices;

namespace CloudNonce.Engine.Native;

// Field-for-field mirrors of the structs in cndhash.h. Sequential layout with natural alignment
// matches the C compiler's, so these pass to cnd_scan without marshalling.

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeScanParams
{
    public byte* Block;
    public nuint BlockLength;
    public uint NonceStart;
    public uint NonceEnd;
    public int Mode;
    public int Difficulty;
    public int UseDifficulty;
    public int Kernel;
    public int Threads;
    public double TimeLimitSeconds;
    public double ProgressInterval;
    public delegate* unmanaged[Cdecl]<NativeProgress*, void*, void> Progress;
    public void* ProgressUser;
    public int* CancelFlag;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeScanResult
{
    public int Status;
    public int Found;
    public uint Nonce;
    public fixed byte Hash[32];
    public ulong Hashes;
    public ulong NextNonce;
    public double Seconds;
    public int Kernel;
    public int Threads;
}

[StructLayout(LayoutKind.Sequential)]
internal struct NativeProgress
{
    public ulong NextNonce;
    public ulong Hashes;
    public double Seconds;
    public double Rate;
}
