using CloudNonce.Engine.Performance;
using CloudNonce.Engine.Providers.Ec2;

namespace CloudNonce.Cmdlets.Infrastructure;

/// <summary>EC2 options for planning as the cmdlets share them: the instance type the user named, and
/// its rate from the measured-rates cache when Measure-CndPerformance -Provider EC2 measured it.</summary>
internal static class Ec2Planning
{
    public static Ec2Options Options(Ec2Options options, string? instanceType, Action<string>? warn = null)
    {
        var typed = instanceType is null ? options : options with { InstanceType = instanceType };
        return Ec2RateCache.Default.WithMeasuredRate(typed, warn);
    }
}
