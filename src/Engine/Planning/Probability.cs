namespace CloudNonce.Engine.Planning;

/// <summary>The chance maths of a search, exact for every difficulty 0..256. A nonce is golden with
/// probability p = 2^-D, which underflows nothing in a double but makes 1 - p round to 1 for D > 53,
/// so every formula goes through log1p/expm1 rather than through (1 - p) or 1 - exp(x).</summary>
public static class Probability
{
    /// <summary>P(at least one golden nonce among <paramref name="hashes"/> distinct nonces):
    /// 1 - exp(-hashes / 2^D), the formula for a search that has not covered its range.</summary>
    public static double FoundWithin(double hashes, int difficulty) => -ExpM1(-Math.ScaleB(hashes, -difficulty));

    /// <summary>P(a golden nonce exists in a range at all): 1 - (1 - 2^-D)^rangeSize.</summary>
    public static double Exists(ulong rangeSize, int difficulty) =>
        -ExpM1(rangeSize * LogP1(-Math.ScaleB(1.0, -difficulty)));

    /// <summary>P(found) for a search that hashes <paramref name="hashes"/> nonces of a range: once
    /// the whole range is covered, more hashing cannot help, and the answer is <see cref="Exists"/>.</summary>
    public static double Success(double hashes, ulong rangeSize, int difficulty) =>
        hashes >= rangeSize ? Exists(rangeSize, difficulty) : FoundWithin(hashes, difficulty);

    /// <summary>Distinct nonces to hash for P(found) = <paramref name="confidence"/> in an unbounded range:
    /// the inverse of <see cref="FoundWithin"/>, -2^D · ln(1 - L); infinite for L = 1.</summary>
    public static double HashesToReach(double confidence, int difficulty) => Math.ScaleB(-LogP1(-confidence), difficulty);

    /// <summary>log(1 + x), accurate for tiny x (Goldberg's correction of the rounded 1 + x).
    /// .NET's double.LogP1 evaluates log(x + 1) directly and returns 0 for |x| below 2^-53.</summary>
    public static double LogP1(double x)
    {
        var u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>exp(x) - 1, accurate for tiny x (Kahan's correction); .NET's double.ExpM1 is exp(x) - 1.</summary>
    public static double ExpM1(double x)
    {
        var u = Math.Exp(x);
        if (u == 1.0) return x;
        var um1 = u - 1.0;
        return um1 == -1.0 ? -1.0 : um1 * x / Math.Log(u);
    }
}
