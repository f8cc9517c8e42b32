namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>A worker failed in a way that makes the search's answer unreliable (its scanner was
/// refused, it crashed, it reported a nonce that is not golden): the search fails with this error
/// rather than reporting "not found".</summary>
public sealed class Ec2WorkerException(string message) : Exception(message);
