using System.Diagnostics;
using CloudNonce.Engine.Pricing;
using CloudNonce.Engine.Search;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Everything one EC2 search has learnt so far: its slots, the instances it launched, what it
/// warned about. Made before the first AWS call, so a search cancelled or failing at any point can
/// still report what it did, and so every part of the controller shares one clock.</summary>
public sealed class Ec2RunState(SearchRequest request, SlotBook book, IProgress<SearchProgress>? progress)
{
    private readonly List<string> _warnings = [];

    public SearchRequest Request { get; } = request;
    public SlotBook Book { get; } = book;
    public FleetLedger Ledger { get; } = new();
    /// <summary>Every worker attempt, timed step by step: the result's WorkerReports.</summary>
    public WorkerTimelineBook Timelines { get; } = new();
    /// <summary>Since the search started: the result's Elapsed.</summary>
    public Stopwatch Elapsed { get; } = Stopwatch.StartNew();
    /// <summary>Wall time for deadlines: AWS's, once the session's responses have shown it.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;
    public DateTimeOffset Now => Clock.GetUtcNow();
    /// <summary>When the search stopped (found, time limit, cancelled...); its figures end there, not
    /// after the clean-up that follows.</summary>
    public DateTimeOffset? StoppedAt { get; private set; }

    public void Stop()
    {
        if (StoppedAt is null)
            Event("stop", new { Book.Active });
        StoppedAt ??= Now;
        Elapsed.Stop();
    }

    /// <summary>Records an event of this search (-LogPath).</summary>
    public void Event(string name, object? fields = null) => Request.Events.Write(Request.SearchId, name, fields);

    public IReadOnlyList<string> Warnings => _warnings;
    /// <summary>The most instances that ran at once.</summary>
    public int PeakInstances { get; private set; }
    public double? PlannedProbability { get; set; }
    /// <summary>P(success) recomputed for the fleet that actually runs, once it differs from the plan.</summary>
    public double? FleetProbability { get; set; }
    /// <summary>Prices the fleet as it runs; null until the search knows its instance type and region.</summary>
    public CostMeter? Meter { get; set; }

    public void NoteActiveInstances() => PeakInstances = Math.Max(PeakInstances, Book.Active);

    /// <summary>Something the user should know about the result: kept on it, and shown as progress.</summary>
    public void Warn(string text)
    {
        _warnings.Add(text);
        Event("warning", new { text });
        Report(text);
    }

    /// <summary>A decision the user sees with -Verbose (which network the workers got, and why).</summary>
    public void Note(string text) => progress?.Report(Progress(text) with { Note = text });

    public void Report(string status) => progress?.Report(Progress(status));

    /// <summary>Once the search has stopped, reports are about its clean-up: they carry the status only,
    /// so nothing reading them takes the final figures for workers still scanning.</summary>
    private SearchProgress Progress(string status) => StoppedAt is not null
        ? SearchProgress.Of(Request, 0, 0, Elapsed.Elapsed, status)
        : SearchProgress.Of(Request, Book.Hashes, Book.NoncesPerSecond, Elapsed.Elapsed, status) with
        {
            UnitsWaiting = Book.Waiting,
            UnitsScanning = Book.Scanning,
            UnitsDone = Book.Finished,
        };
}
