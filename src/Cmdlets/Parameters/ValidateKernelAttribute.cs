namespace CloudNonce.Cmdlets.Parameters;

/// <summary>A native kernel name, checked against the names libcndhash reports.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateKernelAttribute : ValidateNameAttribute
{
    protected override string What => "kernel";
    protected override IReadOnlyList<string> ValidNames => NativeKernels.Names;
    protected override string Detail => $" (available on this CPU: {string.Join(", ", NativeKernels.Available())})";
}
