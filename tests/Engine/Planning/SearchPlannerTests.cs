namespace CloudNonce.Engine.Tests.Planning;

public class SearchPlannerTests
{
    private static PlanInputs Inputs(int d, double? l, double t, double rate, double boot = 0, int max = 50, int workers = 0, ulong range = 1UL << 32) => new()
    {
        Difficulty = d,
        Confidence = l,
        TimeLimit = TimeSpan.FromSeconds(t),
        NoncesPerSecondPerUnit = rate,
        BootOverhead = TimeSpan.FromSeconds(boot),
        MaxUnits = max,
        Units = workers,
        RangeSize = range,
        UnitKind = PlanUnit.Instance,
    };

    [Fact]
    public void Chooses_the_smallest_worker_count_that_reaches_the_confidence()
    {
        // D = 32, T = 60 s, r = 1e7: one worker hashes 6e8, i.e. 0.1397 of 2^32.
        // L = 0.5 needs N * 0.1397 >= ln 2, so N >= 4.96: N = 5, P = 1 - exp(-3e9 / 2^32) = 0.50267.
        var plan = SearchPlanner.Plan(Inputs(32, 0.5, 60, 1e7));
        Assert.Equal(5, plan.Units);
        Assert.Equal(0.5026652463179724, plan.Probability, 1e-12);
        Assert.True(plan.Reachable);
        Assert.False(plan.CoversRange);
        Assert.Equal(5UL, plan.UnitsNeeded);
        Assert.Contains("meeting the target", plan.Explanation);
    }

    [Fact]
    public void Boot_overhead_shortens_the_hashing_time()
    {
        // T = 120 s, boot 40 s: 80 s at 3e7 = 2.4e9 nonces per worker; at D = 28 one worker
        // already gives 1 - exp(-2.4e9 / 2^28) = 0.99987 >= 0.9.
        var plan = SearchPlanner.Plan(Inputs(28, 0.9, 120, 3e7, boot: 40, max: 20));
        Assert.Equal(1, plan.Units);
        Assert.Equal(0.9998690502264513, plan.Probability, 1e-12);
        Assert.Equal(TimeSpan.FromSeconds(40) + TimeSpan.FromSeconds((1UL << 32) / 3e7), plan.SweepTime);
    }

    [Fact]
    public void Explains_when_the_maximum_is_too_small()
    {
        var plan = SearchPlanner.Plan(Inputs(32, 0.5, 60, 1e7, max: 3));
        Assert.False(plan.Reachable);
        Assert.Equal(3, plan.Units);
        Assert.Equal(0.3423583879497567, plan.Probability, 1e-12);
        Assert.Equal(5UL, plan.UnitsNeeded);
        Assert.Contains("needs 5 instances (maximum 3)", plan.Explanation);
    }

    [Fact]
    public void Explains_when_no_golden_nonce_is_likely_to_exist()
    {
        // Covering the whole range at D = 30 succeeds only with 1 - e^-4 = 98.17% < 99%.
        var plan = SearchPlanner.Plan(Inputs(30, 0.99, 60, 2e7));
        Assert.False(plan.Reachable);
        Assert.Null(plan.UnitsNeeded);
        Assert.Equal(0.9816843611453814, plan.ExistenceProbability, 1e-12);
        Assert.Contains("exists in the 4,294,967,296-nonce range with probability 98.17%", plan.Explanation);
        Assert.Contains("Lower -Difficulty or -Confidence", plan.Explanation);
    }

    [Fact]
    public void Explains_when_boot_takes_the_whole_time_limit()
    {
        var plan = SearchPlanner.Plan(Inputs(20, 0.9, 30, 1e7, boot: 40));
        Assert.False(plan.Reachable);
        Assert.Equal(0.0, plan.Probability);
        Assert.Contains("leaves no time after the boot overhead", plan.Explanation);
    }

    [Fact]
    public void A_plan_that_covers_the_range_reports_the_existence_probability()
    {
        var plan = SearchPlanner.Plan(Inputs(32, null, 60, 1e8, workers: 2));
        Assert.True(plan.CoversRange);
        Assert.Equal(0.6321205588713845, plan.Probability, 1e-12);
        Assert.True(plan.Reachable);
        Assert.Null(plan.Confidence);
        Assert.Contains("chance a golden nonce exists", plan.Explanation);
    }

    [Fact]
    public void A_fixed_worker_count_is_kept_and_judged_against_the_confidence()
    {
        var plan = SearchPlanner.Plan(Inputs(32, 0.5, 60, 1e7, workers: 4));
        Assert.Equal(4, plan.Units);
        Assert.Equal(0.4281013821138756, plan.Probability, 1e-12);
        Assert.False(plan.Reachable);
    }

    [Fact]
    public void Choosing_without_a_confidence_uses_the_default_target()
    {
        var plan = SearchPlanner.Plan(Inputs(20, null, 60, 1e7));
        Assert.Equal(SearchPlanner.DefaultConfidence, plan.Confidence);
        Assert.Equal(1, plan.Units);
    }

    [Fact]
    public void A_small_range_caps_the_probability()
    {
        var plan = SearchPlanner.Plan(Inputs(8, null, 1, 1e6, workers: 1, range: 1000));
        Assert.True(plan.CoversRange);
        Assert.Equal(0.9800374911305659, plan.Probability, 1e-12);
    }

    [Fact]
    public void Difficulty_256_gives_a_tiny_but_nonzero_probability()
    {
        var plan = SearchPlanner.Plan(Inputs(256, null, 300, 1e9, workers: 50));
        Assert.Equal(Math.ScaleB(1, -224), plan.Probability, Math.ScaleB(1, -224) * 1e-9);
        Assert.False(double.IsNaN(plan.Probability));
    }

    [Fact]
    public void Certainty_is_reachable_at_low_difficulty() =>
        Assert.True(SearchPlanner.Plan(Inputs(12, 1.0, 10, 1e7)).Reachable);

    [Theory]
    [InlineData(257, 0.9, 1e7, 10)]
    [InlineData(20, 0.0, 1e7, 10)]
    [InlineData(20, 1.5, 1e7, 10)]
    [InlineData(20, 0.9, 0.0, 10)]
    [InlineData(20, 0.9, double.NaN, 10)]
    [InlineData(20, 0.9, 1e7, 0)]
    public void Rejects_inputs_outside_their_domain(int d, double l, double rate, double t) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SearchPlanner.Plan(Inputs(d, l, t, rate)));

    [Theory]
    [InlineData(PlanUnit.Thread, 1, "1 thread")]
    [InlineData(PlanUnit.Thread, 2, "2 threads")]
    [InlineData(PlanUnit.Instance, 1, "1 instance")]
    [InlineData(PlanUnit.Instance, 1200, "1,200 instances")]
    public void A_plan_counts_its_units_by_their_name(PlanUnit unit, double count, string expected)
    {
        Assert.Equal(expected, unit.Count(count));
    }

    [Fact]
    public void A_local_plan_explains_itself_in_threads()
    {
        var plan = SearchPlanner.Plan(Inputs(32, 0.5, 60, 1e7, max: 3) with { UnitKind = PlanUnit.Thread });
        Assert.StartsWith("3 threads at 1e7 nonces/s give P = ", plan.Explanation);
        Assert.Contains("needs 5 threads (maximum 3)", plan.Explanation);
    }
}
