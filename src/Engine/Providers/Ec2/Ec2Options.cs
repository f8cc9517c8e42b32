namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Where and how the EC2 provider works. Every endpoint comes from here (or the standard
/// AWS environment variables), never from a branch in the logic: tests point it at 127.0.0.1.</summary>
public sealed record Ec2Options
{
    public string? Region { get; init; }
    public string? ProfileName { get; init; }
    /// <summary>Overrides every service endpoint (like AWS_ENDPOINT_URL).</summary>
    public string? EndpointUrl { get; init; }
    public string? Bucket { get; init; }
    public string InstanceType { get; init; } = "c7i.large";
    public string? ImageId { get; init; }
    public int MaxWorkers { get; init; } = 50;
}
