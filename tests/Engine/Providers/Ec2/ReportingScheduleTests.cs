namespace CloudNonce.Engine.Tests.Providers.Ec2;

public class ReportingScheduleTests
{
    [Theory]
    [InlineData(10, 2)]      // short searches keep 2 s reports
    [InlineData(60, 2)]
    [InlineData(300, 10)]    // the original tool's default -T: a report every 10 s, not every 2 s
    [InlineData(900, 30)]
    [InlineData(1800, 60)]
    [InlineData(86_400, 60)] // never longer than a minute: a lost worker re-hashes at most that much
    public void TheProgressIntervalGrowsWithTheTimeLimit(double timeLimitSeconds, double expectedSeconds)
    {
        var schedule = ReportingSchedule.For(TimeSpan.FromSeconds(timeLimitSeconds));
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), schedule.ProgressInterval);
        Assert.Equal(TimeSpan.FromSeconds(1), schedule.PollInterval);
    }

    [Theory]
    [InlineData(60, 30)]     // at least 30 s: a slow upload is not a dead worker
    [InlineData(300, 40)]    // four missed reports
    [InlineData(3600, 240)]
    public void SilenceIsFourMissedReportsAndAtLeastThirtySeconds(double timeLimitSeconds, double expectedSeconds)
    {
        var schedule = ReportingSchedule.For(TimeSpan.FromSeconds(timeLimitSeconds));
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), schedule.SilenceTimeout);
        Assert.True(schedule.SilenceTimeout >= 3 * schedule.ProgressInterval, "a worker is never lost for missing fewer than three reports");
    }

    [Fact]
    public void OptionsOverrideTheScheduleAndTheSilenceFollowsTheirProgressInterval()
    {
        var options = new Ec2Options { ProgressInterval = TimeSpan.FromSeconds(20) };
        var schedule = options.ReportingFor(TimeSpan.FromSeconds(300));
        Assert.Equal((TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(80)),
            (schedule.ProgressInterval, schedule.PollInterval, schedule.SilenceTimeout));

        var explicitly = new Ec2Options { PollInterval = TimeSpan.FromSeconds(0.25), SilenceTimeout = TimeSpan.FromSeconds(2) }.ReportingFor(TimeSpan.FromSeconds(300));
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(0.25), TimeSpan.FromSeconds(2)),
            (explicitly.ProgressInterval, explicitly.PollInterval, explicitly.SilenceTimeout));
        Assert.Equal(ReportingSchedule.For(TimeSpan.FromSeconds(300)), new Ec2Options().ReportingFor(TimeSpan.FromSeconds(300)));
    }

    [Fact]
    public void CountsOneWorkerHourOfRequests()
    {
        // A 5-minute search's schedule, one worker scanning for an hour: 360 progress PUTs plus its first
        // report and result, the manifest PUT; one result GET per poll (3600), each report read once
        // (360), the manifest and the scanner downloaded; no LIST.
        var requests = ReportingSchedule.For(TimeSpan.FromSeconds(300)).RequestsFor(1, TimeSpan.FromHours(1));
        Assert.Equal(new S3RequestCounts(363, 0, 3962), requests);
        Assert.Equal(363 * 0.005 / 1000 + 3962 * 0.0004 / 1000, requests.Cost(0.005, 0.0004), 12);
    }

    [Fact]
    public void ListsOnceAPollForALargeFleet()
    {
        var requests = ReportingSchedule.For(TimeSpan.FromSeconds(300)).RequestsFor(20, TimeSpan.FromHours(1));
        Assert.Equal(3600, requests.Lists);
        Assert.Equal(20 * 2 + 20 * 360 + 20, requests.Gets);
        Assert.Equal(20 * 362 + 1, requests.Puts);
    }

    [Fact]
    public void NoWorkersNoRequests() =>
        Assert.Equal(S3RequestCounts.None, ReportingSchedule.For(TimeSpan.FromSeconds(300)).RequestsFor(0, TimeSpan.FromHours(1)));
}
