namespace CloudNonce.Cmdlets.Commands;

/// <summary>The parameters of the cmdlets that look at one block and nonce. Nonce and BlockHex bind
/// by property name, so a search result piped in is checked against its own block.</summary>
public abstract class NonceCommandBase : CndCmdlet
{
    [Parameter(ParameterSetName = BlockInput.Text, Position = 0)]
    [ValidateBlock]
    public string Block { get; set; } = BlockInput.DefaultText;

    [Parameter(ParameterSetName = BlockInput.Bytes, Mandatory = true)]
    [ValidateBlock]
    public byte[]? BlockBytes { get; set; }

    [Parameter(ParameterSetName = BlockInput.Hex, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateHex]
    public string? BlockHex { get; set; }

    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public uint Nonce { get; set; }

    protected byte[] BlockValue => BlockInput.ToBytes(Block, BlockBytes, BlockHex);
}
