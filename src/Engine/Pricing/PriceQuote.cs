namespace CloudNonce.Engine.Pricing;

/// <summary>A price looked up, or why there is none (a region or type the table lacks, a spot price
/// history that could not be read), so that a plan and a result can say what to pass instead.</summary>
public sealed record PriceQuote(InstancePrice? Price, string? Missing)
{
    public static PriceQuote Known(InstancePrice price) => new(price, null);

    public static PriceQuote Unknown(string why) => new(null, why);
}
