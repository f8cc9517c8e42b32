namespace CloudNonce.Engine.Aws;

/// <summary>The AWS set-up (region, credentials, endpoint, account permissions) cannot work; raised
/// before anything is created or launched, with a message that says what to change.</summary>
public sealed class AwsConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
