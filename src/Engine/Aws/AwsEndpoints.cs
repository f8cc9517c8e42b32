namespace CloudNonce.Engine.Aws;

/// <summary>Chooses the endpoint of each AWS service the way the AWS tools do, so tests, private
/// endpoints and S3-compatible stores need no code of their own: an explicit endpoint beats
/// AWS_ENDPOINT_URL_&lt;SERVICE&gt;, which beats AWS_ENDPOINT_URL, which beats the profile's endpoint_url.
/// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true drops the configured ones (not the explicit one).</summary>
public sealed class AwsEndpoints
{
    private readonly string? _explicitUrl;
    private readonly string? _profileUrl;
    private readonly Func<string, string?> _environment;

    public AwsEndpoints(string? explicitUrl, string? profileUrl, Func<string, string?> environment)
    {
        _explicitUrl = Normalize(explicitUrl, "the endpoint URL");
        _profileUrl = profileUrl;
        _environment = environment;
    }

    /// <summary>The endpoint for a service ("EC2", "S3", "SSM", "STS"), or null for the SDK's own
    /// regional endpoint.</summary>
    public string? For(string serviceId)
    {
        if (_explicitUrl is not null)
            return _explicitUrl;
        if (string.Equals(_environment("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase))
            return null;
        var serviceVariable = "AWS_ENDPOINT_URL_" + serviceId.ToUpperInvariant();
        return Normalize(_environment(serviceVariable), serviceVariable)
            ?? Normalize(_environment("AWS_ENDPOINT_URL"), "AWS_ENDPOINT_URL")
            ?? Normalize(_profileUrl, "the profile's endpoint_url");
    }

    private static string? Normalize(string? url, string source)
    {
        if (string.IsNullOrWhiteSpace(url))
            return null;
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new AwsConfigurationException($"{source} '{url}' is not an absolute http:// or https:// URL.");
        return uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }
}
