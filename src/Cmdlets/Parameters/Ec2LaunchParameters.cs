namespace CloudNonce.Cmdlets.Parameters;

/// <summary>Start-CndSearch's own EC2 parameters: what its fleet boots and reports to. A group
/// (<see cref="ParameterGroup{T}"/>) so that they take the cmdlet's three EC2 shapes from one list.</summary>
public sealed class Ec2LaunchParameters
{
    [ProviderOnly(SearchProviderKind.EC2)] [ValidateNotNullOrEmpty] public string? Bucket { get; set; }
    [ProviderOnly(SearchProviderKind.EC2)] [ValidateNotNullOrEmpty] public string? ImageId { get; set; }
    [ProviderOnly(SearchProviderKind.EC2)] public SwitchParameter SpotFallback { get; set; }
}
