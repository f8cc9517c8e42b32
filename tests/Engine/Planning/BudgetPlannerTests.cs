namespace CloudNonce.Engine.Tests.Planning;

public class BudgetPlannerTests
{
    // $36 per instance-hour is a cent per second, with EC2's 60 s minimum: easy sums.
    private static double? Cost(int workers, TimeSpan timeLimit) => workers * Math.Max(60, Math.Ceiling(timeLimit.TotalSeconds)) * 0.01;

    private static PlanInputs Inputs(int workers, int difficulty = 34, double? confidence = null) => new()
    {
        Difficulty = difficulty, Confidence = confidence, TimeLimit = TimeSpan.FromSeconds(300), NoncesPerSecondPerUnit = 1e8,
        BootOverhead = TimeSpan.FromSeconds(40), MaxUnits = 50, Units = workers, UnitKind = PlanUnit.Instance,
    };

    [Fact]
    public void RefusesAFixedFleetWhoseBillingMinimumPassesTheCapWithBothFigures()
    {
        var plan = BudgetPlanner.Plan(Inputs(4), 1.5, Cost);
        Assert.NotNull(plan.Refusal);
        Assert.Contains("$2.4", plan.Refusal);     // 4 × 60 s × $0.01
        Assert.Contains("$1.5", plan.Refusal);
        Assert.Contains("-VMCount 2 or fewer", plan.Refusal);
    }

    [Fact]
    public void SaysHowLongTheCapKeepsAFixedFleetRunning()
    {
        var plan = BudgetPlanner.Plan(Inputs(2), 3.01, Cost);
        Assert.Null(plan.Refusal);
        Assert.Equal(TimeSpan.FromSeconds(150), plan.BudgetTime);
        Assert.Equal(TimeSpan.FromSeconds(150), plan.TimeLimit);
        Assert.True(Cost(plan.Units, plan.TimeLimit) <= 3.01);
        Assert.Contains("StopReason Budget", plan.Explanation);

        var roomy = BudgetPlanner.Plan(Inputs(2), 100, Cost);
        Assert.Null(roomy.BudgetTime);
        Assert.Equal(TimeSpan.FromSeconds(300), roomy.TimeLimit);
    }

    [Fact]
    public void ChoosesTheCheapestFleetThatReachesTheTargetWithinTheCap()
    {
        var inputs = Inputs(0, difficulty: 28, confidence: 0.9) with { NoncesPerSecondPerUnit = 1e6 };
        var free = SearchPlanner.Plan(inputs);
        var capped = BudgetPlanner.Plan(inputs, 1000, Cost);
        Assert.True(capped.Reachable);
        Assert.True(capped.Probability >= 0.9);
        Assert.True(Cost(capped.Units, capped.TimeLimit) <= Cost(free.Units, free.TimeLimit));
    }

    [Fact]
    public void WithoutATargetBuysTheBestChanceTheCapAllowsAndNeverMore()
    {
        foreach (var cap in new[] { 0.6, 1.0, 2.5, 7.0 })
        {
            var plan = BudgetPlanner.Plan(Inputs(0), cap, Cost);
            Assert.Null(plan.Refusal);
            Assert.True(Cost(plan.Units, plan.TimeLimit) <= cap, $"cap {cap}");
            Assert.True(plan.Probability > 0);
            Assert.Equal(cap, plan.MaxCost);
        }
        Assert.NotNull(BudgetPlanner.Plan(Inputs(0), 0.5, Cost).Refusal);
    }

    [Fact]
    public void AnUnreachableTargetSaysWhatTheCapBuys()
    {
        var plan = BudgetPlanner.Plan(Inputs(0, difficulty: 36, confidence: 0.5), 1.0, Cost);
        Assert.False(plan.Reachable);
        Assert.Contains("-MaxCost $1 buys at best P =", plan.Explanation);
    }

    [Fact]
    public void WithoutAPriceTheCapCannotBeKept() =>
        Assert.Contains("-PricePerHour", BudgetPlanner.Plan(Inputs(1), 1.0, (_, _) => null).Refusal);
}
