using System.Net;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;

namespace CloudNonce.Engine.Aws;

/// <summary>Recognises AWS refusing a call for lack of permission, anywhere in an exception's chain,
/// and says which action was refused, to whom, and which policy the module needs.</summary>
public static partial class AwsPermissionError
{
    /// <summary>The least-privilege policy of the module, in its repository (docs/iam-policy.md explains it).</summary>
    public const string PolicyPath = "docs/iam-policy.json";

    private const string RequestActionsKey = "CloudNonce.IamActions";

    // EC2 says UnauthorizedOperation; S3, STS and IAM say AccessDenied; JSON services (SSM) say
    // AccessDeniedException. moto uses AccessDenied for every service.
    private static readonly HashSet<string> RefusalCodes = new(StringComparer.Ordinal)
    {
        "UnauthorizedOperation", "AccessDenied", "AccessDeniedException",
    };

    // AWS (and moto) word it "User: <arn> is not authorized to perform: <action> [on resource: <arn>]".
    [GeneratedRegex(@"(?:User: (?<who>\S+) )?is not authorized to perform: (?<action>[A-Za-z0-9-]+:[A-Za-z0-9*]+)(?: on resource: ""?(?<resource>[^""\s]+))?")]
    private static partial Regex NamedRefusal();

    /// <summary>Has the client record, on each exception it throws, the IAM actions the failed request
    /// needed: S3 names none in its refusals ("Access Denied"), and a HEAD refusal has no body at all.</summary>
    public static T Watch<T>(T client) where T : AmazonServiceClient
    {
        client.ExceptionEvent += (_, args) =>
        {
            if (args is WebServiceExceptionEventArgs { Exception: { } exception, Request: { } request })
                exception.Data[RequestActionsKey] = string.Join(" or ", IamActions.For(request));
        };
        return client;
    }

    public static bool IsRefusal(AmazonServiceException e) =>
        (e.ErrorCode is { } code && RefusalCodes.Contains(code))
        // A refused HEAD (HeadBucket, HeadObject) has no body, hence no code: only its status.
        || (e.StatusCode == HttpStatusCode.Forbidden && e.ErrorCode is null or "" or "Forbidden")
        || (e is DeleteObjectsException { Response.DeleteErrors: { Count: > 0 } errors } && errors.All(d => d.Code == "AccessDenied"));

    /// <summary>The refusal explained, or null when <paramref name="e"/> is no refusal and wraps none.
    /// A wrapping exception's own message is kept after the explanation, as context.</summary>
    public static AwsConfigurationException? Explain(Exception e)
    {
        if (FindRefusal(e) is not { } refusal)
            return null;
        var context = ReferenceEquals(refusal, e) ? "" : $" ({e.Message})";
        return new AwsConfigurationException(
            $"{Summary(refusal)}: the credentials lack a permission CloudNonce needs. Grant the policy in {PolicyPath} " +
            $"of the CloudNonce repository (docs/iam-policy.md says what each action is for).{context} " +
            $"AWS said: {Said(refusal)}", e);
    }

    /// <summary>One line for the warning of a best-effort call that AWS refused; null for any other failure.</summary>
    public static string? Describe(Exception e) =>
        FindRefusal(e) is { } refusal ? $"{Summary(refusal)} (the policy the module needs: {PolicyPath})" : null;

    private static AmazonServiceException? FindRefusal(Exception e) =>
        Chain(e).OfType<AmazonServiceException>().FirstOrDefault(IsRefusal);

    private static string Summary(AmazonServiceException refusal)
    {
        var named = NamedRefusal().Match(refusal.Message ?? "");
        var action = named.Success ? named.Groups["action"].Value
            : RecordedActions(refusal) ?? (refusal is DeleteObjectsException ? "s3:DeleteObject" : "an AWS action");
        var resource = named.Groups["resource"].Success ? $" on {named.Groups["resource"].Value}" : "";
        var who = named.Groups["who"].Success ? $" to {named.Groups["who"].Value}" : "";
        return $"AWS refused {action}{resource}{who}";
    }

    private static string Said(AmazonServiceException refusal) => refusal switch
    {
        DeleteObjectsException { Response.DeleteErrors: [var first, ..] errors } =>
            $"{first.Code} for {errors.Count} object(s), the first '{first.Key}': {first.Message}",
        _ => $"{(string.IsNullOrEmpty(refusal.ErrorCode) ? refusal.StatusCode.ToString() : refusal.ErrorCode)}: {refusal.Message}",
    };

    private static string? RecordedActions(Exception e) =>
        e.Data[RequestActionsKey] is string { Length: > 0 } actions ? actions : null;

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
            yield return current;
    }
}
