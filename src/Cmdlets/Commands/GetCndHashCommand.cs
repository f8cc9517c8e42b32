namespace CloudNonce.Cmdlets.Commands;

/// <summary>The double SHA-256 of a block and nonce and its leading zero bits, computed with .NET's
/// SHA-256 rather than the native scanner, so it is an independent check of search results.</summary>
[Cmdlet(VerbsCommon.Get, "CndHash", DefaultParameterSetName = BlockInput.Text)]
[OutputType(typeof(CndHash))]
public sealed class GetCndHashCommand : NonceCommandBase
{
    protected override void ProcessRecord() => WriteObject(NonceHasher.Hash(BlockValue, Nonce));
}
