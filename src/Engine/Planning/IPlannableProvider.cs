using CloudNonce.Engine.Search;

namespace CloudNonce.Engine.Planning;

/// <summary>A provider whose unit count can be planned: it tells the planner what one of its units
/// (a thread, an instance) does. Providers that plan for themselves simply do not implement this.</summary>
public interface IPlannableProvider
{
    UnitProfile DescribeUnit(SearchRequest request);
}
