namespace CloudNonce.Cmdlets.Parameters;

/// <summary>Measure-CndPerformance's EC2 performance test: every type at every fleet size sweeps the
/// same -NonceCount nonces. A group (<see cref="ParameterGroup{T}"/>) so that a command line mixing
/// them with the Local ones reaches the cmdlet's own error.</summary>
public sealed class Ec2PerformanceParameters
{
    [ProviderOnly(SearchProviderKind.EC2)] [ValidateNotNullOrEmpty] public string[]? InstanceType { get; set; }
    [ProviderOnly(SearchProviderKind.EC2)] [ValidateNotNullOrEmpty] [ValidateInRange(1, SearchPlanner.LargestWorkerCount)] public int[]? VMCount { get; set; }
    [ProviderOnly(SearchProviderKind.EC2)] [ValidateRange(1UL, 1UL << 32)] public ulong NonceCount { get; set; } = 1UL << 32;
    [ProviderOnly(SearchProviderKind.EC2)] [TimeSpanSeconds] [ValidatePositive] public TimeSpan TimeLimit { get; set; } = TimeSpan.FromSeconds(900);
    [ProviderOnly(SearchProviderKind.EC2)] [ValidateNotNullOrEmpty] public string? ChartPath { get; set; }
    [ProviderOnly(SearchProviderKind.EC2)] [ValidateNotNullOrEmpty] public string? Bucket { get; set; }
    [ProviderOnly(SearchProviderKind.EC2)] [ValidateNotNullOrEmpty] public string? ImageId { get; set; }
    [ProviderOnly(SearchProviderKind.EC2)] [ValidateSubnetId] public string? SubnetId { get; set; }
    [ProviderOnly(SearchProviderKind.EC2)] public SwitchParameter Spot { get; set; }
    [ProviderOnly(SearchProviderKind.EC2)] [ValidateRange(0.0, Ec2Options.MaxPricePerHour)] public double? PricePerHour { get; set; }
}
