using CloudNonce.Engine.Aws;
using CloudNonce.Engine.Planning;
using CloudNonce.Engine.Platform;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Where and how the EC2 provider works. Every endpoint comes from here (or the standard
/// AWS environment variables), never from a branch in the logic: tests point it at 127.0.0.1.</summary>
public sealed record Ec2Options
{
    /// <summary>Region, credentials and endpoint as the user gave them; AwsSession resolves the rest.</summary>
    public AwsSettings Aws { get; init; } = new();
    /// <summary>The module bucket; null: cloudnonce-&lt;account&gt;-&lt;region&gt;.</summary>
    public string? Bucket { get; init; }
    /// <summary>A compute type with AVX-512/AVX2 and SHA-NI, or a Graviton type (arm64 workers).</summary>
    public string InstanceType { get; init; } = "c7i.large";
    /// <summary>null: the region's current Amazon Linux 2023 AMI for the instance type's architecture (public SSM parameter).</summary>
    public string? ImageId { get; init; }
    public int MaxInstances { get; init; } = SearchPlanner.DefaultMaxUnits;
    /// <summary>The subnet the workers launch in (its VPC holds their security group); null: the
    /// account's default VPC. Either way its route to S3 is checked before anything is created.</summary>
    public string? SubnetId { get; init; }
    /// <summary>The folder holding the static worker scanners to upload, one per architecture
    /// (&lt;rid&gt;/cnd-scan); null: the module's, workers/ next to the engine assembly.</summary>
    public string? WorkersFolder { get; init; }
    /// <summary>How long after the time limit an instance powers itself off whatever happens; null:
    /// a tenth of the time limit, between 5 s and 60 s.</summary>
    public TimeSpan? ShutdownMargin { get; init; }
    /// <summary>How often the controller reads the workers' reports; null: <see cref="ReportingFor"/>'s.</summary>
    public TimeSpan? PollInterval { get; init; }
    /// <summary>How often a worker writes its progress object; null: <see cref="ReportingFor"/>'s, which
    /// grows with the time limit.</summary>
    public TimeSpan? ProgressInterval { get; init; }

    /// <summary>Measured figures for <see cref="InstanceType"/> (rate and launch-to-first-hash time), used
    /// for planning, relaunch decisions and timeouts; null: the documented table (InstanceTypeRates).</summary>
    public InstanceTypeRate? MeasuredRate { get; init; }
    /// <summary>Ask for one-time spot instances (a spot interruption is a lost worker, relaunched).</summary>
    public bool Spot { get; init; }
    /// <summary>With <see cref="Spot"/>: launch a slot on-demand when its spot request cannot be met.</summary>
    public bool SpotFallback { get; init; }
    /// <summary>USD per instance-hour for cost estimates, instead of the shipped price table.</summary>
    public double? PricePerHour { get; init; }
    /// <summary>The highest <see cref="PricePerHour"/> the cmdlets accept: far above any instance type's
    /// list price, so a larger value is a mistake rather than a price.</summary>
    public const double MaxPricePerHour = 10_000;
    /// <summary>-MaxCost: USD the search may cost at most (plan and run); null: no cap.</summary>
    public double? MaxCost { get; init; }
    /// <summary>The highest -MaxCost the cmdlets accept: a larger cap is a typing mistake.</summary>
    public const double MaxMaxCost = 1_000_000;
    /// <summary>-InstanceType Auto or a list: the types to choose <see cref="InstanceType"/> from (lowest
    /// cost per nonce); <see cref="AutoInstanceType"/> stands for every type the price table lists in the
    /// region and the rate tables know. Null: <see cref="InstanceType"/> as it is.</summary>
    public IReadOnlyList<string>? InstanceTypeChoices { get; init; }
    public const string AutoInstanceType = "Auto";
    /// <summary>Where the choice among <see cref="InstanceTypeChoices"/> finds measured rates; null: the documented table only.</summary>
    public Performance.Ec2RateCache? RateCache { get; init; }
    /// <summary>Measures this machine's nonces per second (all cores), for the plan's warning that a search
    /// this easy is faster here; null: no such comparison.</summary>
    public Func<double>? LocalNoncesPerSecond { get; init; }

    /// <summary>Launches per slot: the first and the relaunches after a lost worker.</summary>
    public int MaxAttemptsPerSlot { get; init; } = 3;
    /// <summary>A worker with no first report this long after its launch is lost; null: three times
    /// the instance type's boot overhead.</summary>
    public TimeSpan? BootTimeout { get; init; }
    /// <summary>A worker whose progress stops this long is lost; null: four progress intervals, at
    /// least 30 s (a slow S3 upload must not look like a dead worker).</summary>
    public TimeSpan? SilenceTimeout { get; init; }
    /// <summary>First wait after EC2 refuses a launch (capacity, limits, throttling); doubles per refusal.</summary>
    public TimeSpan LaunchRetryInitial { get; init; } = LaunchBackoff.DefaultInitial;
    public TimeSpan LaunchRetryMaximum { get; init; } = LaunchBackoff.DefaultMaximum;

    /// <summary>The local clock the controller corrects with AWS's Date headers; other than the system
    /// clock only for hosts that keep time their own way, and tests.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>What one instance of the type does: the measured figures when given, else the table's.</summary>
    public InstanceTypeRate RateFor(string instanceType, int? vcpus = null) =>
        MeasuredRate is { } measured && string.Equals(measured.InstanceType, instanceType, StringComparison.OrdinalIgnoreCase)
            ? measured
            : InstanceTypeRates.For(instanceType, vcpus);

    public TimeSpan BootTimeoutFor(TimeSpan bootOverhead) => BootTimeout ?? 3 * bootOverhead;

    /// <summary>The intervals of a search of <paramref name="timeLimit"/>: progress, polling and silence
    /// (<see cref="ReportingSchedule.For"/>, with whatever these options set instead). The one source
    /// of them, for the search and for estimating its S3 requests.</summary>
    public ReportingSchedule ReportingFor(TimeSpan timeLimit)
    {
        var schedule = ReportingSchedule.For(timeLimit);
        var progress = ProgressInterval ?? schedule.ProgressInterval;
        return new ReportingSchedule(progress, PollInterval ?? schedule.PollInterval, SilenceTimeout ?? ReportingSchedule.SilenceTimeoutFor(progress));
    }

    /// <summary>The scanner that workers of this architecture download: from <see cref="WorkersFolder"/>
    /// when given, else where the platform seam says the module keeps it.</summary>
    public string ResolvedScannerPath(WorkerArchitecture architecture) =>
        WorkersFolder is { } folder
            ? architecture.ScannerIn(folder)
            : HostPlatform.Current.WorkerScannerPath(Path.GetDirectoryName(typeof(Ec2Options).Assembly.Location) ?? AppContext.BaseDirectory, architecture.Ec2Name);

    public TimeSpan ShutdownMarginFor(TimeSpan timeLimit) =>
        ShutdownMargin ?? TimeSpan.FromSeconds(Math.Clamp(timeLimit.TotalSeconds / 10, 5, 60));
}
