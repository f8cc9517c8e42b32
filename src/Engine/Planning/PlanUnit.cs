using System.Globalization;

namespace CloudNonce.Engine.Planning;

/// <summary>What a plan counts, named as its messages say it: a local search's threads, an EC2
/// search's instances.</summary>
public enum PlanUnit
{
    Thread,
    Instance,
}

public static class PlanUnitText
{
    public static string Noun(this PlanUnit unit) => unit == PlanUnit.Thread ? "thread" : "instance";

    /// <summary>"1 thread", "2 instances".</summary>
    public static string Count(this PlanUnit unit, double count) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {unit.Noun()}{(count == 1 ? "" : "s")}");
}
