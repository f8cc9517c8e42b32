namespace CloudNonce.Engine.Tests.Planning;

public class ProbabilityTests
{
    [Theory]
    [InlineData(1e-20)]
    [InlineData(-1e-20)]
    [InlineData(-5.421010862427522e-20)] // -2^-64: 1 + x rounds to 1
    [InlineData(1e-9)]
    public void LogP1_and_ExpM1_are_accurate_for_tiny_arguments(double x)
    {
        // Taylor series to the cubic term are exact to double precision here.
        Assert.Equal(x - x * x / 2 + x * x * x / 3, Probability.LogP1(x), Math.Abs(x) * 1e-15);
        Assert.Equal(x + x * x / 2 + x * x * x / 6, Probability.ExpM1(x), Math.Abs(x) * 1e-15);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(-0.5)]
    [InlineData(-0.999)]
    [InlineData(3)]
    public void LogP1_and_ExpM1_agree_with_direct_formulas_away_from_zero(double x)
    {
        Assert.Equal(Math.Log(1 + x), Probability.LogP1(x), 1e-14);
        Assert.Equal(Math.Exp(x) - 1, Probability.ExpM1(x), 1e-14);
    }

    [Fact]
    public void ExpM1_of_minus_infinity_is_minus_one() => Assert.Equal(-1.0, Probability.ExpM1(double.NegativeInfinity));

    // Hand-computed: 1 - (1 - 2^-D)^(2^32) = 1 - exp(2^32 * ln(1 - 2^-D)).
    [Theory]
    [InlineData(32, 0.6321205588713845)]   // ~ 1 - 1/e
    [InlineData(30, 0.9816843611453814)]   // ~ 1 - e^-4
    [InlineData(36, 0.060586937186951406)] // ~ 1 - e^-(1/16)
    public void Existence_in_the_full_range(int d, double expected) =>
        Assert.Equal(expected, Probability.Exists(1UL << 32, d), 1e-12);

    [Fact]
    public void Existence_stays_exact_where_one_minus_p_rounds_to_one()
    {
        // D = 256: p = 2^-256, so P = 2^32 * 2^-256 = 2^-224 to within p^2.
        Assert.Equal(Math.ScaleB(1, -224), Probability.Exists(1UL << 32, 256), Math.ScaleB(1, -224) * 1e-12);
        Assert.Equal(Math.ScaleB(1, -60), Probability.Exists(16, 64), Math.ScaleB(1, -60) * 1e-12);
    }

    [Fact]
    public void Existence_at_difficulty_zero_is_certain() => Assert.Equal(1.0, Probability.Exists(1, 0));

    [Fact]
    public void Small_range_existence_matches_the_power_formula() =>
        Assert.Equal(1 - Math.Pow(255.0 / 256, 1000), Probability.Exists(1000, 8), 1e-12);

    [Fact]
    public void Found_within_follows_the_exponential_model()
    {
        // 2.4e9 hashes at D = 28: 1 - exp(-2.4e9 / 2^28) = 1 - exp(-8.940696716308594).
        Assert.Equal(0.9998690502264513, Probability.FoundWithin(2.4e9, 28), 1e-12);
        Assert.Equal(0.0, Probability.FoundWithin(0, 20));
    }

    [Fact]
    public void Success_is_capped_once_the_range_is_covered()
    {
        var range = 1UL << 32;
        Assert.Equal(Probability.Exists(range, 32), Probability.Success(10.0 * range, range, 32));
        Assert.Equal(Probability.FoundWithin(range / 2.0, 32), Probability.Success(range / 2.0, range, 32));
        Assert.True(Probability.Success(range - 1.0, range, 32) <= Probability.Exists(range, 32));
    }
}
