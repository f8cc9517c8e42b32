using System.Management.Automation;
using CloudNonce.Cmdlets.Infrastructure;
using CloudNonce.Cmdlets.Parameters;
using CloudNonce.Engine.Planning;
using CloudNonce.Engine.Providers.Ec2;
using CloudNonce.Engine.Providers;
using CloudNonce.Engine.Search;

namespace CloudNonce.Cmdlets.Commands;

/// <summary>The search parameters Start-CndSearch and Get-CndSearchPlan share, declared once so that
/// one splatted set of parameters means the same to both and a new parameter is one edit here.
/// -Difficulty stays with each cmdlet: it binds by position and pipeline differently in each (the
/// block comes first in Start-CndSearch).</summary>
public abstract class SearchCommandBase : CndAwsCmdlet
{
    [Parameter]
    [Alias("N")]
    [ValidateInRange(0, SearchPlanner.LargestWorkerCount)]
    public int VMCount { get; set; }

    /// <summary>Null: the cmdlet's own default (Get-CndSearchPlan plans for 0.95; Start-CndSearch
    /// runs a local search whatever its odds).</summary>
    [Parameter]
    [Alias("L")]
    [ValidateConfidence]
    public double? Confidence { get; set; }

    [Parameter]
    [Alias("T")]
    [TimeSpanSeconds]
    [ValidatePositive]
    public TimeSpan TimeLimit { get; set; } = SearchRequest.DefaultTimeLimit;

    [Parameter]
    [Alias("MaxWorkers")]
    [ValidateInRange(1, SearchPlanner.LargestWorkerCount)]
    public int MaxVMCount { get; set; } = SearchPlanner.DefaultMaxUnits;

    [Parameter]
    public uint NonceStart { get; set; }

    [Parameter]
    public uint NonceEnd { get; set; } = uint.MaxValue;

    [Parameter]
    // PowerShell completes an enum parameter with its names itself (and ignores an ArgumentCompleter).
    [ProviderName]
    public SearchProviderKind Provider { get; set; } = SearchProviderKind.Local;

    /// <summary>One type, Auto, or a list of types to choose from (the cheapest per nonce).</summary>
    [Parameter] [ProviderOnly(SearchProviderKind.EC2)] [ValidateNotNullOrEmpty] public string[]? InstanceType { get; set; }
    [Parameter] [ProviderOnly(SearchProviderKind.EC2)] public SwitchParameter Spot { get; set; }
    [Parameter] [ProviderOnly(SearchProviderKind.EC2)] [ValidateRange(0.0, Ec2Options.MaxPricePerHour)] public double? PricePerHour { get; set; }
    [Parameter] [ProviderOnly(SearchProviderKind.EC2)] [ValidateSubnetId] public string? SubnetId { get; set; }

    // Cost (EC2): a cap the plan keeps to. -Region, -ProfileName and -EndpointUrl (from CndAwsCmdlet)
    // say whose prices, and where the live spot prices come from.
    [Parameter] [ProviderOnly(SearchProviderKind.EC2)] [ValidatePositive] [ValidateRange(0.0, Ec2Options.MaxMaxCost)] public double? MaxCost { get; set; }

    protected bool IsLocal => Provider == SearchProviderKind.Local;

    /// <summary>The EC2 options the shared parameters say, with the instance type's measured rate when
    /// there is one; each cmdlet adds its own with `with`.</summary>
    protected Ec2Options Ec2PlanningOptions() => Ec2Planning.Options(AwsProviderOptions() with
    {
        SubnetId = SubnetId,
        MaxInstances = MaxVMCount,
        Spot = Spot,
        PricePerHour = PricePerHour,
        MaxCost = MaxCost,
    }, InstanceType, WriteWarning);
}
