namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>One route: where it leads and to which target.</summary>
/// <param name="DestinationCidr">An IPv4 range (0.0.0.0/0 for the default route), or null.</param>
/// <param name="DestinationPrefixListId">A prefix list (a gateway endpoint's service), or null.</param>
/// <param name="Target">The gateway, NAT gateway, endpoint, interface… the route sends traffic to.</param>
/// <param name="Active">false for a blackhole: its target is gone.</param>
public sealed record RouteFacts(string? DestinationCidr, string? DestinationPrefixListId, string? Target, bool Active = true);
