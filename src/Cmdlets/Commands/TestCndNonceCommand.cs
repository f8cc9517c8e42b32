namespace CloudNonce.Cmdlets.Commands;

/// <summary>Whether a nonce is golden for a block at a difficulty (managed SHA-256, like Get-CndHash).</summary>
[Cmdlet(VerbsDiagnostic.Test, "CndNonce", DefaultParameterSetName = BlockInput.Text)]
[OutputType(typeof(bool))]
public sealed class TestCndNonceCommand : NonceCommandBase
{
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("D")]
    [ValidateRange(0, NonceHasher.MaxDifficulty)]
    public int Difficulty { get; set; }

    protected override void ProcessRecord() => WriteObject(NonceHasher.IsGolden(BlockValue, Nonce, Difficulty));
}
