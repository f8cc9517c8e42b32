namespace CloudNonce.Cmdlets.Parameters;

/// <summary>The parameter set names of the cmdlets that search or measure with a provider: one shape
/// per provider, and for Start-CndSearch one per provider and way of giving the block.</summary>
/// <remarks>PowerShell picks a set from the parameter names given, never from a value, so
/// `-Provider EC2` alone cannot select the EC2 shape: a provider-only parameter does, and the cmdlet
/// checks -Provider against it (CndAwsCmdlet.RequireParametersFor).</remarks>
internal static class ParameterSets
{
    public const string Local = "Local";
    public const string Ec2 = "EC2";

    // Start-CndSearch: the block as text (-Block, the default), bytes or hex, each on either provider.
    public const string TextLocal = BlockInput.Text + Local;
    public const string TextEc2 = BlockInput.Text + Ec2;
    public const string BytesLocal = BlockInput.Bytes + Local;
    public const string BytesEc2 = BlockInput.Bytes + Ec2;
    public const string HexLocal = BlockInput.Hex + Local;
    public const string HexEc2 = BlockInput.Hex + Ec2;
}
