namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>What a launch needs, checked against the account before anything is created. The image and
/// the scanner its workers download are those of its architecture.</summary>
public sealed record LaunchTarget(string AccountId, string ImageId, string InstanceType, int VCpus, WorkerNetwork Network,
    WorkerArchitecture Architecture);
