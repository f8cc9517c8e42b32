using Amazon.Runtime;

namespace CloudNonce.Engine.Aws;

/// <summary>What the user said about where and as whom to talk to AWS, in the words of AWS Tools for
/// PowerShell: the cmdlet's parameters, and the session's defaults that Set-AWSCredential and
/// Set-DefaultAWSRegion leave in $StoredAWSCredentials and $StoredAWSRegion. Anything left null comes
/// from the environment and the shared config files. <see cref="AwsSession.Resolve"/> alone decides
/// what wins.</summary>
public sealed record AwsSettings(string? Region = null, string? ProfileName = null, string? EndpointUrl = null)
{
    /// <summary>A shared credentials file other than ~/.aws/credentials (-ProfileLocation).</summary>
    public string? ProfileLocation { get; init; }
    public string? AccessKey { get; init; }
    public string? SecretKey { get; init; }
    public string? SessionToken { get; init; }
    /// <summary>An AWSCredentials object given to the cmdlet (-Credential).</summary>
    public AWSCredentials? Credential { get; init; }
    /// <summary>The session's credentials ($StoredAWSCredentials).</summary>
    public AWSCredentials? SessionCredentials { get; init; }
    /// <summary>The session's region ($StoredAWSRegion).</summary>
    public string? SessionRegion { get; init; }

    /// <summary>Names what is set and never the secrets: a record would print every property.</summary>
    public override string ToString() =>
        $"AwsSettings {{ Region = {Region}, ProfileName = {ProfileName}, ProfileLocation = {ProfileLocation}, EndpointUrl = {EndpointUrl}, " +
        $"AccessKey = {AccessKey}, SecretKey = {(SecretKey is null ? "" : "(set)")}, SessionToken = {(SessionToken is null ? "" : "(set)")}, " +
        $"Credential = {Credential?.GetType().Name}, SessionCredentials = {SessionCredentials?.GetType().Name}, SessionRegion = {SessionRegion} }}";
}
