using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CloudNonce.Engine.Native;

/// <summary>Runs cnd_scan on the calling thread. The native library calls progress back on this same
/// thread and polls a cancel flag that the cancellation token sets, so a cancelled scan returns
/// within one chunk of work.</summary>
public static unsafe class NativeScanner
{
    public static NativeScanOutcome Scan(ScanSpec spec, Action<ScanProgress>? onProgress, CancellationToken cancellationToken)
    {
        CndLibrary.EnsureLoaded();
        var kernel = NativeKernels.ResolveId(spec.Kernel);
        var cancelFlag = (int*)NativeMemory.AllocZeroed(sizeof(int));
        var sink = new ProgressSink(onProgress, cancelFlag);
        var sinkHandle = GCHandle.Alloc(sink);
        try
        {
            NativeScanResult result;
            int status;
            // Disposing the registration waits for a running callback, so the flag outlives every write to it.
            using (cancellationToken.Register(static flag => Volatile.Write(ref *(int*)(nint)flag!, 1), (nint)cancelFlag))
            fixed (byte* block = spec.Block)
            {
                var parameters = new NativeScanParams
                {
                    Block = block,
                    BlockLength = (nuint)spec.Block.Length,
                    NonceStart = spec.NonceStart,
                    NonceEnd = spec.NonceEnd,
                    Mode = NativeMethods.ModeAppendBigEndian,
                    Difficulty = spec.Difficulty,
                    Kernel = kernel,
                    Threads = spec.Threads,
                    TimeLimitSeconds = spec.TimeLimit > TimeSpan.Zero ? spec.TimeLimit.TotalSeconds : 0,
                    ProgressInterval = onProgress is null ? 0 : spec.ProgressInterval.TotalSeconds,
                    Progress = onProgress is null ? null : &OnProgress,
                    ProgressUser = (void*)GCHandle.ToIntPtr(sinkHandle),
                    CancelFlag = cancelFlag,
                };
                status = NativeMethods.Scan(&parameters, &result);
            }
            sink.RethrowIfFailed();
            if (status < 0 || !Enum.IsDefined((ScanStatus)status)) throw CndNativeException.FromStatus(status, spec.Kernel, spec.Threads);
            return ToOutcome(in result);
        }
        finally
        {
            NativeMemory.Free(cancelFlag);
            sinkHandle.Free();
        }
    }

    private static NativeScanOutcome ToOutcome(in NativeScanResult result)
    {
        var found = (ScanStatus)result.Status == ScanStatus.Found;
        byte[]? hash = null;
        if (found)
        {
            fixed (byte* digest = result.Hash) hash = new ReadOnlySpan<byte>(digest, 32).ToArray();
        }
        return new NativeScanOutcome
        {
            Status = (ScanStatus)result.Status,
            Nonce = found ? result.Nonce : null,
            Hash = hash,
            Hashes = result.Hashes,
            NextNonce = result.NextNonce,
            Elapsed = TimeSpan.FromSeconds(result.Seconds),
            Kernel = NativeKernels.NameOf(result.Kernel),
            Threads = result.Threads,
        };
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnProgress(NativeProgress* progress, void* user)
    {
        var sink = (ProgressSink)GCHandle.FromIntPtr((nint)user).Target!;
        sink.Report(new ScanProgress(progress->NextNonce, progress->Hashes, TimeSpan.FromSeconds(progress->Seconds), progress->Rate));
    }

    /// <summary>An exception must not unwind through native frames: the handler's first failure stops
    /// the scan and is rethrown once cnd_scan has returned.</summary>
    private sealed class ProgressSink(Action<ScanProgress>? handler, int* cancelFlag)
    {
        private Exception? _failure;

        public void Report(ScanProgress progress)
        {
            if (_failure is not null || handler is null) return;
            try { handler(progress); }
            catch (Exception e)
            {
                _failure = e;
                Volatile.Write(ref *cancelFlag, 1);
            }
        }

        public void RethrowIfFailed()
        {
            if (_failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
        }
    }
}
