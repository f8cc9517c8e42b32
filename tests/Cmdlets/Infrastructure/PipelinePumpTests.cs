using CloudNonce.Cmdlets.Infrastructure;

namespace CloudNonce.Cmdlets.Tests.Infrastructure;

public class PipelinePumpTests
{
    [Fact]
    public void Posted_actions_run_on_the_calling_thread_and_the_result_comes_back()
    {
        var caller = Environment.CurrentManagedThreadId;
        var ran = new List<int>();
        var result = PipelinePump.Run((pump, _) => Task.Run(() =>
        {
            for (var i = 0; i < 5; i++) pump.Post(() => ran.Add(Environment.CurrentManagedThreadId));
            pump.Progress<int>(_ => ran.Add(Environment.CurrentManagedThreadId)).Report(1);
            return 42;
        }), default);
        Assert.Equal(42, result);
        Assert.Equal(6, ran.Count);
        Assert.All(ran, id => Assert.Equal(caller, id));
    }

    [Fact]
    public void The_work_exception_is_rethrown_as_itself()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            PipelinePump.Run<int>((_, _) => Task.FromException<int>(new InvalidOperationException("boom")), default));
        Assert.Equal("boom", error.Message);
    }

    [Fact]
    public void A_failing_action_cancels_the_work_and_waits_for_it()
    {
        var workEnded = false;
        Assert.Throws<TimeoutException>(() => PipelinePump.Run((pump, token) => Task.Run(async () =>
        {
            pump.Post(() => throw new TimeoutException());
            try { await Task.Delay(TimeSpan.FromSeconds(30), token); }
            catch (OperationCanceledException) { }
            await Task.Delay(100, CancellationToken.None);
            workEnded = true;
            return 0;
        }), default));
        Assert.True(workEnded);
    }

    [Fact]
    public void Posts_after_the_work_ended_are_dropped()
    {
        PipelinePump? kept = null;
        PipelinePump.Run((pump, _) => { kept = pump; return Task.FromResult(0); }, default);
        kept!.Post(() => throw new InvalidOperationException("must not run"));
    }
}
