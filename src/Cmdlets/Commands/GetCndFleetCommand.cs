namespace CloudNonce.Cmdlets.Commands;

/// <summary>Lists the EC2 instances CloudNonce launched in a region, with each one's slot and progress.</summary>
[Cmdlet(VerbsCommon.Get, "CndFleet")]
[OutputType(typeof(CndFleetInstance))]
public sealed class GetCndFleetCommand : CndAwsCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? SearchId { get; set; }

    private Engine.Aws.AwsSession? _session;

    protected override void BeginProcessing() => _session = ResolveSession();

    protected override void ProcessRecord()
    {
        foreach (var searchId in SearchId ?? [null!])
            WriteObject(RunAws(token => FleetInventory.ListAsync(_session!, searchId, token), searchId), enumerateCollection: true);
    }
}
