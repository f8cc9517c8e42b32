using Amazon.EC2;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>EC2's API is eventually consistent ("Eventual consistency in the Amazon EC2 API"): right
/// after a group, instance or image is created, calls naming it may fail as if it did not exist.
/// Those calls are retried with a short, growing back-off until <see cref="Budget"/> is spent.</summary>
public static class EventualConsistency
{
    /// <summary>Errors that may only mean "not visible yet" for something just created.</summary>
    public static readonly IReadOnlySet<string> NotYetVisible = new HashSet<string>(StringComparer.Ordinal)
    {
        "InvalidGroup.NotFound", "InvalidInstanceID.NotFound", "InvalidAMIID.NotFound", "InvalidSubnetID.NotFound",
    };

    /// <summary>Long enough for what EC2 documents as a brief delay, short enough to fail a launch that
    /// names something that really does not exist in good time.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(15);

    public static bool IsNotYetVisible(AmazonEC2Exception e) => NotYetVisible.Contains(e.ErrorCode ?? "");

    /// <summary>Runs <paramref name="call"/> (given its try number, from 0), retrying the errors of
    /// <see cref="NotYetVisible"/>; the last one is thrown once the budget is spent.</summary>
    public static async Task<T> RetryAsync<T>(Func<int, Task<T>> call, CancellationToken ct, TimeSpan? budget = null)
    {
        var giveUpAt = DateTime.UtcNow + (budget ?? Budget);
        var delay = TimeSpan.FromMilliseconds(250);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call(attempt);
            }
            catch (AmazonEC2Exception e) when (IsNotYetVisible(e) && DateTime.UtcNow + delay < giveUpAt)
            {
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(4).Ticks));
            }
        }
    }
}
