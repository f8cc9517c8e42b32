namespace CloudNonce.Cmdlets.Commands;

/// <summary>Removes what CloudNonce created in a region: instances, security groups, bucket objects,
/// the bucket, and named key pairs; each removed thing is written out as an object.</summary>
[Cmdlet(VerbsCommon.Remove, "CndResources", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(CndRemovedResource))]
public sealed class RemoveCndResourcesCommand : CndAwsCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? SearchId { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Bucket { get; set; }

    [Parameter]
    public SwitchParameter KeepBucket { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? KeyPairName { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    private readonly SortedSet<string> _searchIds = new(StringComparer.Ordinal);

    // Piped objects repeat a search id once per instance; collect them and remove each search once.
    protected override void ProcessRecord() => _searchIds.UnionWith(SearchId ?? []);

    protected override void EndProcessing()
    {
        // A pipeline that delivered nothing (Get-CndFleet found no instance) must not mean "everything".
        if (MyInvocation.ExpectingInput && _searchIds.Count == 0)
        {
            WriteVerbose("No search id arrived through the pipeline: nothing to remove.");
            return;
        }
        var session = ResolveSession();
        using var remover = new ResourceRemover(session);
        var scope = new RemovalScope
        {
            SearchIds = [.. _searchIds],
            Bucket = Bucket,
            KeepBucket = KeepBucket,
            KeyPairNames = KeyPairName ?? [],
        };
        var steps = RunAws(token => remover.FindAsync(scope, token), scope);
        WriteVerbose($"Found {steps.Count} thing(s) to remove in region {session.Region}.");
        foreach (var step in steps)
        {
            if (!Approved(step))
                continue;
            WriteObject(RunAws(token => remover.RemoveAsync(step, token), step.Id), enumerateCollection: true);
        }
    }

    /// <summary>-WhatIf always only reports; -Force skips the prompt unless -Confirm asks for it.</summary>
    private bool Approved(RemovalStep step)
    {
        var confirmAsked = MyInvocation.BoundParameters.ContainsKey("Confirm");
        if (Force && !confirmAsked && !WhatIfRequested())
            return true;
        return ShouldProcess(step.Description, step.Action);
    }

    private bool WhatIfRequested() =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)
            ? ((SwitchParameter)whatIf).IsPresent
            : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
}
