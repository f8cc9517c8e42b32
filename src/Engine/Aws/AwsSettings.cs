namespace CloudNonce.Engine.Aws;

/// <summary>What the user said about where to talk to AWS; anything left null comes from the
/// environment and the shared config files, as with every AWS tool.</summary>
public sealed record AwsSettings(string? Region = null, string? ProfileName = null, string? EndpointUrl = null);
