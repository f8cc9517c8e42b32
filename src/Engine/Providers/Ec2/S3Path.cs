namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>How a worker's traffic to S3 leaves its subnet.</summary>
public enum S3Path
{
    /// <summary>A route to the region's S3 prefix list through an S3 gateway endpoint.</summary>
    GatewayEndpoint,
    /// <summary>0.0.0.0/0 to a NAT gateway.</summary>
    NatGateway,
    /// <summary>0.0.0.0/0 to an internet gateway, and the subnet maps a public IPv4 at launch.</summary>
    InternetGateway,
    /// <summary>0.0.0.0/0 to an internet gateway, but the subnet maps no public IPv4: the launch asks for one.</summary>
    InternetGatewayWithRequestedPublicIp,
    /// <summary>0.0.0.0/0 to something else (transit gateway, network interface, peering…) that may
    /// lead out; what lies beyond it cannot be read from here.</summary>
    UncheckedTarget,
    /// <summary>No route the workers could take to S3.</summary>
    None,
}
