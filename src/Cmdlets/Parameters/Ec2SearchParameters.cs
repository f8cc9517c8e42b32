namespace CloudNonce.Cmdlets.Parameters;

/// <summary>The EC2 parameters Start-CndSearch and Get-CndSearchPlan share, declared once so that a
/// splat means the same to both; offered in each cmdlet's EC2 shapes through <see cref="ParameterGroup{T}"/>.</summary>
public sealed class Ec2SearchParameters
{
    /// <summary>One type, Auto, or a list of types to choose from (the cheapest per nonce).</summary>
    [ProviderOnly(SearchProviderKind.EC2)] [ValidateNotNullOrEmpty] public string[]? InstanceType { get; set; }
    [ProviderOnly(SearchProviderKind.EC2)] public SwitchParameter Spot { get; set; }
    [ProviderOnly(SearchProviderKind.EC2)] [ValidateRange(0.0, Ec2Options.MaxPricePerHour)] public double? PricePerHour { get; set; }
    [ProviderOnly(SearchProviderKind.EC2)] [ValidateSubnetId] public string? SubnetId { get; set; }

    // Cost: a cap the plan keeps to. -Region, -ProfileName and -EndpointUrl (AwsParameters) say whose
    // prices, and where the live spot prices come from.
    [ProviderOnly(SearchProviderKind.EC2)] [ValidatePositive] [ValidateRange(0.0, Ec2Options.MaxMaxCost)] public double? MaxCost { get; set; }
}
