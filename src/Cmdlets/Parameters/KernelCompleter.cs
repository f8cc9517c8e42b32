using System.Collections;
using System.Management.Automation.Language;

namespace CloudNonce.Cmdlets.Parameters;

/// <summary>Completes the kernels that can run on this CPU, plus "auto".</summary>
public sealed class KernelCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        NameCompletion.Complete([NativeKernels.Auto, .. NativeKernels.Available()], wordToComplete);
}
