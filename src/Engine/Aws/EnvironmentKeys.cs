using System.Globalization;
using Amazon.Runtime;

namespace CloudNonce.Engine.Aws;

/// <summary>Keys given in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), with the
/// expiry that <c>aws configure export-credentials --format env</c> writes beside them in
/// AWS_CREDENTIAL_EXPIRATION: the SDK ignores that variable, but a presigned URL dies at that moment.</summary>
internal sealed record EnvironmentKeys(AWSCredentials Credentials, DateTimeOffset? ExpiresAt)
{
    public const string ExpirationVariable = "AWS_CREDENTIAL_EXPIRATION";

    /// <summary>The keys, or null when the environment holds no complete pair.</summary>
    public static EnvironmentKeys? From(Func<string, string?> environment)
    {
        var accessKey = Set(environment("AWS_ACCESS_KEY_ID"));
        var secretKey = Set(environment("AWS_SECRET_ACCESS_KEY"));
        if (accessKey is null || secretKey is null)
            return null;
        AWSCredentials credentials = Set(environment("AWS_SESSION_TOKEN")) is { } token
            ? new SessionAWSCredentials(accessKey, secretKey, token)
            : new BasicAWSCredentials(accessKey, secretKey);
        return new EnvironmentKeys(credentials, ExpiryFrom(Set(environment(ExpirationVariable))));
    }

    /// <summary>Named after the variable that tells the most about how long the keys last.</summary>
    public CredentialLifetime Lifetime
    {
        get
        {
            var temporary = Credentials is SessionAWSCredentials;
            var source = ExpiresAt is not null ? ExpirationVariable : temporary ? "AWS_SESSION_TOKEN" : "AWS_ACCESS_KEY_ID";
            return new CredentialLifetime(temporary, ExpiresAt, source);
        }
    }

    private static DateTimeOffset? ExpiryFrom(string? text)
    {
        if (text is null)
            return null;
        // ISO-8601 as the CLI writes it; a value without an offset is UTC, as everywhere in AWS.
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiry) && LooksIso8601(text))
            return expiry.ToUniversalTime();
        throw new AwsConfigurationException(
            $"{ExpirationVariable} '{text}' is not an ISO-8601 time such as 2030-01-31T12:00:00Z; " +
            $"set it as 'aws configure export-credentials --format env' does, or unset it.");
    }

    /// <summary>DateTimeOffset.TryParse also takes "1/2/2030" or "Friday": only a year-month-day
    /// date with a time is unambiguous.</summary>
    private static bool LooksIso8601(string text) =>
        text.Length >= 16 && char.IsAsciiDigit(text[0]) && text[4] == '-' && text[7] == '-' && (text[10] == 'T' || text[10] == 't' || text[10] == ' ');

    private static string? Set(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
