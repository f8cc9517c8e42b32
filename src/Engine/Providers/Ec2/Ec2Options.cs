using CloudNonce.Engine.Aws;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Where and how the EC2 provider works. Every endpoint comes from here (or the standard
/// AWS environment variables), never from a branch in the logic: tests point it at 127.0.0.1.</summary>
public sealed record Ec2Options
{
    public string? Region { get; init; }
    public string? ProfileName { get; init; }
    /// <summary>Overrides every service endpoint (like AWS_ENDPOINT_URL).</summary>
    public string? EndpointUrl { get; init; }
    /// <summary>The module bucket; null: cloudnonce-&lt;account&gt;-&lt;region&gt;.</summary>
    public string? Bucket { get; init; }
    /// <summary>A compute type with AVX-512/AVX2 and SHA-NI.</summary>
    public string InstanceType { get; init; } = "c7i.large";
    /// <summary>null: the region's current Amazon Linux 2023 x86-64 AMI (public SSM parameter).</summary>
    public string? ImageId { get; init; }
    public int MaxWorkers { get; init; } = 50;
    /// <summary>The static worker scanner to upload; null: cnd-scan next to the engine assembly.</summary>
    public string? ScannerPath { get; init; }
    /// <summary>How long after the time limit an instance powers itself off whatever happens; null:
    /// a tenth of the time limit, between 5 s and 60 s.</summary>
    public TimeSpan? ShutdownMargin { get; init; }
    /// <summary>How often the controller reads the workers' reports.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>How often a worker writes its progress object.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(2);

    public AwsSettings Aws => new(Region, ProfileName, EndpointUrl);

    public string ResolvedScannerPath =>
        ScannerPath ?? Path.Combine(Path.GetDirectoryName(typeof(Ec2Options).Assembly.Location) ?? AppContext.BaseDirectory, "cnd-scan");

    public TimeSpan ShutdownMarginFor(TimeSpan timeLimit) =>
        ShutdownMargin ?? TimeSpan.FromSeconds(Math.Clamp(timeLimit.TotalSeconds / 10, 5, 60));
}
