using Amazon.Runtime;

namespace CloudNonce.Engine.Aws;

/// <summary>How long the session's credentials last. Everything they sign, presigned URLs included,
/// stops working at <see cref="ExpiresAt"/>, whatever its own expiry.</summary>
/// <param name="IsTemporary">The credentials carry a session token (SSO, an assumed role, a session
/// token, an instance profile...), so they end at some point even when <see cref="ExpiresAt"/> is unknown.</param>
/// <param name="ExpiresAt">When they end, if the source says so; null for long-term keys and for
/// temporary ones whose source gives no time (AWS_SESSION_TOKEN alone, an instance profile).</param>
/// <param name="Source">Where the credentials and their expiry come from, in the words of the AWS
/// configuration: "SSO", "credential_process", "assumed role", "AWS_CREDENTIAL_EXPIRATION"...</param>
public sealed record CredentialLifetime(bool IsTemporary, DateTimeOffset? ExpiresAt, string Source)
{
    /// <summary>True when the credentials are known to end before the given moment.</summary>
    public bool ExpiresBefore(DateTimeOffset moment) => ExpiresAt is { } end && end < moment;

    /// <summary>What the SDK says about credentials it resolved. The time is exact where the resolved
    /// credentials carry it (SSO, assumed roles); otherwise it is the SDK's refresh time, which comes
    /// up to its ExpirationBuffer (a minute) before the real end: early, never late.</summary>
    internal static CredentialLifetime Of(AWSCredentials credentials, ImmutableCredentials resolved)
    {
        DateTime? end = resolved switch
        {
            SSOImmutableCredentials sso => sso.Expiration,
            AssumeRoleImmutableCredentials role => role.Expiration,
            SAMLImmutableCredentials saml => saml.Expires,
            LoginImmutableCredentials login when login.ExpiresAt is not null => login.ExpiresAt,
            _ => credentials.Expiration,
        };
        return new CredentialLifetime(resolved.UseToken, end is { } e ? AsUtc(e) : null, SourceOf(credentials));
    }

    internal static string SourceOf(AWSCredentials credentials) => credentials switch
    {
        SSOAWSCredentials => "SSO",
        ProcessAWSCredentials => "credential_process",
        AssumeRoleAWSCredentials => "assumed role",
        AssumeRoleWithWebIdentityCredentials => "web identity",
        FederatedAWSCredentials => "SAML federation",
        LoginAWSCredentials => "aws login",
        GenericContainerCredentials => "container credentials",
        InstanceProfileAWSCredentials => "instance profile",
        SessionAWSCredentials => "profile session token",
        BasicAWSCredentials => "long-term keys",
        // The SDK's default chain hands out an internal type for the EC2 instance profile.
        _ when credentials.GetType().Name.Contains("InstanceProfile", StringComparison.Ordinal) => "instance profile",
        _ => credentials.GetType().Name,
    };

    /// <summary>The SDK keeps these in UTC, but not always with the kind set.</summary>
    private static DateTimeOffset AsUtc(DateTime time) =>
        time.Kind == DateTimeKind.Local ? new DateTimeOffset(time).ToUniversalTime() : new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
