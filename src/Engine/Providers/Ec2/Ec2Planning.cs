using CloudNonce.Engine.Native;
using CloudNonce.Engine.Performance;
using CloudNonce.Engine.Providers.Local;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>EC2 options for planning as the cmdlets share them: the instance type the user named (or
/// the types to choose from: -InstanceType Auto, or a list), its rate from the measured-rates cache
/// when Measure-CndPerformance -Provider EC2 measured it, and this machine's rate for the plan's
/// "faster here" warning. The cmdlets give it what the user named; the files it reads are the engine's.</summary>
public static class Ec2Planning
{
    public static Ec2Options Options(Ec2Options options, IReadOnlyList<string>? instanceTypes, Action<string>? warn = null)
    {
        var single = instanceTypes is [var one] && !string.Equals(one, Ec2Options.AutoInstanceType, StringComparison.OrdinalIgnoreCase) ? one : null;
        var cache = Ec2RateCache.Default;
        var typed = options with
        {
            InstanceType = single ?? options.InstanceType,
            InstanceTypeChoices = instanceTypes is null || single is not null ? null : instanceTypes,
            RateCache = cache,
            LocalNoncesPerSecond = LocalMachineRate,
        };
        return cache.WithMeasuredRate(typed, warn);
    }

    /// <summary>Every core of this machine on its fastest kernel (one thread measured, cached for the session).</summary>
    private static double LocalMachineRate() => LocalThreadRate.PerThread(NativeKernels.Best()) * NativeKernels.OnlineCores();
}
