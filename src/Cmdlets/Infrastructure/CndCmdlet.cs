namespace CloudNonce.Cmdlets.Infrastructure;

/// <summary>What every CloudNonce cmdlet shares: a cancellation token that Ctrl+C (StopProcessing)
/// cancels, engine work run off the pipeline thread, and engine failures turned into terminating
/// errors with an ErrorId and a category.</summary>
public abstract class CndCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline is stopped.</summary>
    protected CancellationToken StopToken => _stop.Token;

    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>Runs <paramref name="work"/> on other threads; whatever it posts to the pump runs here,
    /// on the pipeline thread.</summary>
    protected T RunOffPipeline<T>(Func<PipelinePump, CancellationToken, Task<T>> work) => PipelinePump.Run(work, StopToken);

    /// <summary>An engine failure as an error record, classified for $Error and -ErrorAction.</summary>
    protected static ErrorRecord EngineError(Exception exception, object? target)
    {
        var (errorId, category) = exception switch
        {
            CndNativeException native => ("Native" + native.Error, native.Error switch
            {
                CndNativeError.InvalidArgument or CndNativeError.UnknownKernel => ErrorCategory.InvalidArgument,
                CndNativeError.LibraryNotFound => ErrorCategory.ObjectNotFound,
                CndNativeError.AbiMismatch => ErrorCategory.NotInstalled,
                CndNativeError.KernelUnavailable or CndNativeError.OutOfMemory or CndNativeError.ThreadFailure => ErrorCategory.ResourceUnavailable,
                _ => ErrorCategory.InvalidResult,
            }),
            ArgumentException => ("InvalidArgument", ErrorCategory.InvalidArgument),
            NotSupportedException => ("NotSupported", ErrorCategory.NotImplemented),
            InvalidOperationException => ("InvalidOperation", ErrorCategory.InvalidOperation),
            _ => (exception.GetType().Name, ErrorCategory.NotSpecified),
        };
        return new ErrorRecord(exception, errorId, category, target);
    }

    /// <summary>-NonceStart and -NonceEnd are each valid alone; together they must not be reversed.</summary>
    protected void RequireNonceRange(uint start, uint end)
    {
        if (start <= end) return;
        ThrowTerminatingError(ParameterConflict("NonceRangeInvalid",
            $"-NonceStart {start} is greater than -NonceEnd {end}: the range is inclusive and needs NonceStart <= NonceEnd (both 0..{uint.MaxValue}).", start));
    }

    /// <summary>-VMCount fixes the worker count and -MaxVMCount caps it. A fixed count above the cap would
    /// be planned, and shown by -WhatIf, only for the provider to refuse the real run: refuse it first.</summary>
    protected void RequireVMCountWithinMaximum(int vmCount, int maxVmCount)
    {
        if (vmCount <= maxVmCount) return;
        ThrowTerminatingError(ParameterConflict("VMCountAboveMaxVMCount",
            $"-VMCount {vmCount} is above -MaxVMCount {maxVmCount}: raise -MaxVMCount to at least {vmCount}, or ask for fewer workers.", vmCount));
    }

    /// <summary>Parameters that are each valid but do not fit together.</summary>
    protected static ErrorRecord ParameterConflict(string errorId, string message, object? target) =>
        new(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing) _stop.Dispose();
    }
}
