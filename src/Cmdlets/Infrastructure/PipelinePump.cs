using System.Threading.Channels;

namespace CloudNonce.Cmdlets.Infrastructure;

/// <summary>Runs engine work on other threads while keeping everything that touches the pipeline
/// (WriteObject, WriteProgress, WriteVerbose…) on the pipeline thread, the only thread PowerShell
/// allows them on. Worker threads post actions; the pipeline thread runs them until the work ends.</summary>
public sealed class PipelinePump
{
    private readonly Channel<Action> _actions = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });

    private PipelinePump() { }

    /// <summary>Queues an action for the pipeline thread. Safe from any thread; dropped once the work has ended.</summary>
    public void Post(Action action) => _actions.Writer.TryWrite(action);

    /// <summary>A progress sink whose handler runs on the pipeline thread.</summary>
    public IProgress<T> Progress<T>(Action<T> handler) => new PostedProgress<T>(this, handler);

    /// <summary>Starts the work, runs posted actions on the calling thread until it completes, and
    /// returns its result or rethrows its exception. If a posted action throws (WriteObject does once
    /// the pipeline is stopping), the work is cancelled and awaited before the exception propagates,
    /// so nothing is left running.</summary>
    public static T Run<T>(Func<PipelinePump, CancellationToken, Task<T>> start, CancellationToken cancellationToken)
    {
        var pump = new PipelinePump();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = start(pump, stop.Token);
        work.ContinueWith(_ => pump._actions.Writer.TryComplete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            pump.Drain();
        }
        catch
        {
            stop.Cancel();
            ((IAsyncResult)work).AsyncWaitHandle.WaitOne();
            throw;
        }
        return work.GetAwaiter().GetResult();
    }

    private void Drain()
    {
        var reader = _actions.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var action)) action();
        }
    }

    private sealed class PostedProgress<T>(PipelinePump pump, Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => pump.Post(() => handler(value));
    }
}
