using CloudNonce.Engine.Search;

namespace CloudNonce.Engine.Planning;

/// <summary>A provider whose worker count can be planned: it tells the planner what one of its
/// workers does. Providers that plan for themselves simply do not implement this.</summary>
public interface IPlannableProvider
{
    WorkerProfile DescribeWorkers(SearchRequest request);
}

/// <param name="NoncesPerSecondPerWorker">Nonces per second of one worker.</param>
/// <param name="BootOverhead">Launch-to-hashing time of a worker.</param>
/// <param name="MaxWorkers">Cap on the planned worker count.</param>
/// <param name="DefaultWorkers">Workers used when the request leaves the count open; 0 = the
/// smallest count that reaches the confidence.</param>
/// <param name="Description">What the worker is, for -Verbose ("1 thread of kernel avx2, measured").</param>
public sealed record WorkerProfile(double NoncesPerSecondPerWorker, TimeSpan BootOverhead, int MaxWorkers, int DefaultWorkers, string Description);
