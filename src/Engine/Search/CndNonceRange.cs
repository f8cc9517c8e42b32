using System.Globalization;

namespace CloudNonce.Engine.Search;

/// <summary>Nonces [Start, End] (inclusive) a search did not scan, and why.</summary>
public sealed record CndNonceRange(uint Start, uint End, string Reason)
{
    public ulong Size => (ulong)End - Start + 1;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Start}-{End}");
}
