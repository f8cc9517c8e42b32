namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>The route table that governs a subnet: the one associated with it, else the VPC's main one.</summary>
public sealed record RouteTableFacts(string RouteTableId, bool IsMain, IReadOnlyList<RouteFacts> Routes);
