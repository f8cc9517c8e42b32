namespace CloudNonce.Cmdlets.Parameters;

/// <summary>Start-CndSearch's Local-only parameters: how this machine hashes. A group
/// (<see cref="ParameterGroup{T}"/>) so that they take the cmdlet's three Local shapes from one list,
/// and so that, like the EC2 groups, a command line mixing the shapes reaches the cmdlet's own error.</summary>
public sealed class LocalSearchParameters
{
    [ProviderOnly(SearchProviderKind.Local, Instead = "With -Provider EC2, set the instance count with -VMCount.")]
    [ValidateInRange(1, NativeLimits.MaxThreads)]
    public int? Threads { get; set; }

    [ProviderOnly(SearchProviderKind.Local)]
    [ValidateKernel]
    [ArgumentCompleter(typeof(KernelCompleter))]
    public string Kernel { get; set; } = NativeKernels.Auto;
}
