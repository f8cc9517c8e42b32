using System.Globalization;

namespace CloudNonce.Engine.Pricing;

/// <summary>One line of a cost: what was used, how much, at what price.</summary>
/// <param name="Item">What is paid for ("instances, on-demand c7i.large", "public IPv4 addresses"...).</param>
/// <param name="Quantity">How much of it.</param>
/// <param name="Unit">The unit of <paramref name="Quantity"/> ("instance-hours", "requests"...).</param>
/// <param name="UnitPrice">USD per unit; null when no price is known.</param>
/// <param name="Source">Where the price comes from, or why there is none.</param>
public sealed record CostPart(string Item, double Quantity, string Unit, double? UnitPrice, string Source)
{
    /// <summary>USD; null without a price.</summary>
    public double? Usd => UnitPrice * Quantity;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Item}: {Quantity:0.####} {Unit}{(Usd is { } usd ? $" = ${usd:0.######}" : " (no price)")}");
}
