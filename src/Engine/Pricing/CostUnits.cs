namespace CloudNonce.Engine.Pricing;

/// <summary>The units a cost part is counted in.</summary>
public static class CostUnits
{
    public const string InstanceHours = "instance-hours";
    public const string AddressHours = "address-hours";
    public const string Requests = "requests";
}
