using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using CloudNonce.Engine.Native;

namespace CloudNonce.Cmdlets.Parameters;

/// <summary>A native kernel name, checked against the names libcndhash reports.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateKernelAttribute : ValidateNameAttribute
{
    protected override string What => "kernel";
    protected override IReadOnlyList<string> ValidNames => NativeKernels.Names;
    protected override string Detail => $" (available on this CPU: {string.Join(", ", NativeKernels.Available())})";
}

/// <summary>Completes the kernels that can run on this CPU, plus "auto".</summary>
public sealed class KernelCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        NameCompletion.Complete([NativeKernels.Auto, .. NativeKernels.Available()], wordToComplete);
}
