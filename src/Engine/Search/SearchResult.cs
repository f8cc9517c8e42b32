namespace CloudNonce.Engine.Search;

/// <summary>The outcome of a search, the same shape whichever provider ran it.</summary>
public sealed class CndSearchResult
{
    public bool Found { get; init; }
    public uint? Nonce { get; init; }
    /// <summary>Digest as lower-case hex (SHA-256 output byte order); null when nothing was found.</summary>
    public string? Hash { get; init; }
    public int LeadingZeroBits { get; init; }
    public int Difficulty { get; init; }
    public TimeSpan Elapsed { get; init; }
    public ulong Hashes { get; init; }
    public double NoncesPerSecond { get; init; }
    /// <summary>Local: the scanning threads the native scan ran; 0 on EC2.</summary>
    public int Threads { get; init; }
    /// <summary>EC2: the most instances that were working at once; 0 locally.</summary>
    public int PeakInstances { get; init; }
    public string Provider { get; init; } = "";
    public string SearchId { get; init; } = "";
    public StopReason StopReason { get; init; }
    public string Kernel { get; init; } = "";
    public uint NonceStart { get; init; }
    public uint NonceEnd { get; init; }
    public string BlockHex { get; init; } = "";

    // Set by providers that run fleets (EC2); the local provider leaves them at their defaults.
    /// <summary>Which ranges were scanned; null when the provider does not track it.</summary>
    public SearchCoverage? Coverage { get; init; }
    /// <summary>Instances launched as spot.</summary>
    public int SpotInstances { get; init; }
    /// <summary>Slots launched again after losing their worker.</summary>
    public int RelaunchedSlots { get; init; }
    /// <summary>P(success) planned for the requested instances.</summary>
    public double? PlannedProbability { get; init; }
    /// <summary>P(success) recomputed for the instances that actually launched.</summary>
    public double? Probability { get; init; }
    public double InstanceHours { get; init; }
    /// <summary>USD, at the region's prices (the table's on-demand, live spot) or -PricePerHour; null
    /// when the instance type has no price there.</summary>
    public double? EstimatedCost { get; init; }
    /// <summary>The parts of <see cref="EstimatedCost"/>: instance time, public IPv4 addresses, S3 requests.</summary>
    public Pricing.CostBreakdown? CostBreakdown { get; init; }
    /// <summary>EC2: one entry per worker attempt (a slot's launch), its steps timed (launch, running,
    /// boot, scanner download and check, scan start and end), nonces and how it ended. Local: empty (the
    /// threads of one native scan share one timeline: TimeToFirstHash 0, all of Elapsed scanning).</summary>
    public IReadOnlyList<CndWorkerReport> WorkerReports { get; init; } = [];
    /// <summary>Where the time went; the three parts add up to Elapsed (see <see cref="SearchTimeSplit"/>).</summary>
    public TimeSpan? TimeToFirstHash { get; init; }
    public TimeSpan ScanningTime { get; init; }
    public TimeSpan ControllerOverhead { get; init; }
    /// <summary>What went wrong on the way without stopping the search (capacity, lost workers).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
