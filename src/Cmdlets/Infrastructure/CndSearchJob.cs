namespace CloudNonce.Cmdlets.Infrastructure;

/// <summary>A search running in the background of this session, as Start-CndSearch -AsJob returns it.
/// Like the ThreadJob module's jobs it runs on a thread of this process rather than in a child process,
/// and it is registered with the session's job repository, so Get-Job, Wait-Job, Receive-Job, Stop-Job
/// and Remove-Job handle it. Receive-Job gives its progress, warnings and verbose lines and the
/// CndSearchResult; Stop-Job cancels the search and returns once every worker has ended.</summary>
public sealed class CndSearchJob : Job
{
    public const string TypeName = "CndSearchJob";

    private readonly CancellationTokenSource _stop = new();
    private Task? _run;
    private volatile string _status = "";

    internal CndSearchJob(string command, string name) : base(command, name)
    {
        PSJobTypeName = TypeName;
    }

    public override string Location => "localhost";

    public override string StatusMessage => _status;

    public override bool HasMoreData =>
        Output.Count > 0 || Error.Count > 0 || Warning.Count > 0 || Verbose.Count > 0 || Progress.Count > 0 || Information.Count > 0;

    /// <summary>Starts the search on a pool thread. <paramref name="search"/> gets a progress sink that
    /// feeds the job's progress stream and the token Stop-Job cancels.</summary>
    internal void Start(Func<IProgress<SearchProgress>, CancellationToken, Task<CndSearchResult>> search, SearchProgressRecords records)
    {
        SetJobState(JobState.Running);
        var progress = new ProgressSink(this, records);
        _run = Task.Run(async () =>
        {
            JobState outcome;
            try
            {
                var result = await search(progress, _stop.Token).ConfigureAwait(false);
                foreach (var line in SearchResultNotes.Warnings(result)) Warning.Add(new WarningRecord(line));
                foreach (var line in SearchResultNotes.Verbose(result)) Verbose.Add(new VerboseRecord(line));
                Output.Add(PSObject.AsPSObject(result));
                _status = result.StopReason.ToString();
                outcome = JobState.Completed;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                outcome = JobState.Stopped;
            }
            catch (Exception e)
            {
                Error.Add(new ErrorRecord(e, "SearchFailed", ErrorCategory.NotSpecified, Name));
                _status = e.Message;
                outcome = JobState.Failed;
            }
            // Before the final state: a finished job closes its streams.
            Progress.Add(records.Completed());
            Finish(outcome);
        });
    }

    /// <summary>A search stopped by Stop-Job ends as Stopped, even when the provider returned its
    /// partial result (which stays in the output: it says what was covered).</summary>
    private void Finish(JobState state) => SetJobState(_stop.IsCancellationRequested ? JobState.Stopped : state);

    public override void StopJob()
    {
        if (_run is null || _run.IsCompleted || IsFinished(JobStateInfo.State)) return;
        SetJobState(JobState.Stopping);
        _stop.Cancel();
        // Stop-Job promises nothing keeps running: the providers end every worker before their task completes.
        _run.Wait(Timeout.InfiniteTimeSpan);
    }

    private static bool IsFinished(JobState state) => state is JobState.Completed or JobState.Failed or JobState.Stopped;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            StopJob();
            _stop.Dispose();
        }
        base.Dispose(disposing);
    }

    private sealed class ProgressSink(CndSearchJob job, SearchProgressRecords records) : IProgress<SearchProgress>
    {
        public void Report(SearchProgress value)
        {
            job._status = value.Status;
            if (value.Note is { } note) job.Verbose.Add(new VerboseRecord(note));
            job.Progress.Add(records.For(value));
        }
    }
}
