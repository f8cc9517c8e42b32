namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>Where the worker scanner is (content-addressed in the bucket), and the hash the bootstrap
/// checks it against. Its URL is signed at each launch.</summary>
public sealed record ScannerObject(string Key, string Sha256);
