namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>What ending a fleet could not confirm, for the result's warnings.</summary>
/// <param name="Unconfirmed">Instances whose termination EC2 did not confirm.</param>
/// <param name="Problem">Why, in words; null when every instance was ended.</param>
public sealed record FleetCleanup(IReadOnlyList<string> Unconfirmed, string? Problem)
{
    public static readonly FleetCleanup Clean = new([], null);
}
