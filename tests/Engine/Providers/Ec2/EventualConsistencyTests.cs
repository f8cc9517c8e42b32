using Amazon.EC2;

namespace CloudNonce.Engine.Tests.Providers.Ec2;

public class EventualConsistencyTests
{
    private static AmazonEC2Exception Error(string code) => new($"{code} (test)") { ErrorCode = code };

    [Fact]
    public async Task RetriesANewGroupNotFoundUntilItIsVisibleGivingEachTryItsNumber()
    {
        var tries = new List<int>();
        var answer = await EventualConsistency.RetryAsync(attempt =>
        {
            tries.Add(attempt);
            return attempt < 2 ? throw Error("InvalidGroup.NotFound") : Task.FromResult("launched");
        }, CancellationToken.None);
        Assert.Equal("launched", answer);
        Assert.Equal([0, 1, 2], tries);
    }

    [Fact]
    public async Task GivesUpWhenTheBudgetIsSpent()
    {
        var tries = 0;
        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() => EventualConsistency.RetryAsync<int>(_ =>
        {
            tries++;
            throw Error("InvalidInstanceID.NotFound");
        }, CancellationToken.None, TimeSpan.FromSeconds(1)));
        Assert.Equal("InvalidInstanceID.NotFound", error.ErrorCode);
        Assert.InRange(tries, 2, 4);
    }

    [Fact]
    public async Task NeverRetriesOtherErrors()
    {
        var tries = 0;
        await Assert.ThrowsAsync<AmazonEC2Exception>(() => EventualConsistency.RetryAsync<int>(_ =>
        {
            tries++;
            throw Error("InvalidParameterValue");
        }, CancellationToken.None));
        Assert.Equal(1, tries);
    }
}
