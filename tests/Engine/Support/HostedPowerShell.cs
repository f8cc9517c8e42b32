using System.Management.Automation;
using System.Management.Automation.Runspaces;
using CloudNonce.Cmdlets.Commands;

namespace CloudNonce.Engine.Tests.Support;

/// <summary>A PowerShell instance in this process with the CloudNonce cmdlets registered, to drive
/// them as a script would (binding, validation, streams, Stop) without starting pwsh.</summary>
internal static class HostedPowerShell
{
    private static readonly SessionStateCmdletEntry[] Cmdlets = typeof(StartCndSearchCommand).Assembly.GetTypes()
        .Select(t => (Type: t, Attribute: t.GetCustomAttribute<CmdletAttribute>()))
        .Where(c => c.Attribute is not null)
        .Select(c => new SessionStateCmdletEntry($"{c.Attribute!.VerbName}-{c.Attribute.NounName}", c.Type, null))
        .ToArray();

    public static PowerShell Create()
    {
        var state = InitialSessionState.CreateDefault2();
        state.Commands.Add(Cmdlets);
        return PowerShell.Create(state);
    }

    /// <summary>Runs a script and returns its output objects unwrapped.</summary>
    public static (List<object> Output, PowerShell Shell) Run(string script)
    {
        var shell = Create();
        var output = shell.AddScript(script).Invoke().Select(o => o.BaseObject).ToList();
        return (output, shell);
    }
}
