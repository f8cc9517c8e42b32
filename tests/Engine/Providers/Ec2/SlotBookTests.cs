namespace CloudNonce.Engine.Tests.Providers.Ec2;

public class SlotBookTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static SlotBook Book(int slots = 2, int attempts = 3) => new(SlotRange.Split(0, 999, slots), attempts);

    private static WorkerProgress Progress(ulong next, ulong hashes, double rate = 100) => new() { NextNonce = next, Hashes = hashes, NoncesPerSecond = rate };

    /// <summary>One slot, its worker (i-0) launched and checkpointed <paramref name="next"/> nonces in.</summary>
    private static SlotBook OneSlotCheckpointedAt(ulong next)
    {
        var book = Book(slots: 1);
        book.RecordLaunch(book[0], "i-0", T0);
        book.RecordProgress(0, 0, Progress(next, hashes: next), T0);
        return book;
    }

    private static WorkerResult Result(string status, ulong hashes, ulong next = 0) =>
        new() { Scan = new ScannerResultLine { Status = status, Hashes = hashes, NextNonce = next } };

    [Fact]
    public void TracksPhasesFromLaunchToResult()
    {
        var book = Book();
        Assert.Equal(2, book.Unlaunched.Count);
        book.RecordLaunch(book[0], "i-0", T0);
        book.RecordLaunch(book[1], "i-1", T0);
        Assert.Equal((2, 0, 0), (book.Waiting, book.Scanning, book.Finished));

        Assert.True(book.RecordProgress(0, 0, Progress(100, 100, rate: 50), T0));
        Assert.Equal((1, 1, 0), (book.Waiting, book.Scanning, book.Finished));
        Assert.Equal(50, book.NoncesPerSecond);

        Assert.True(book.RecordResult(1, 0, Result("exhausted", 500)));
        Assert.Equal(600UL, book.Hashes);
        Assert.Equal((0, 1, 1), (book.Waiting, book.Scanning, book.Finished));
        Assert.False(book.AllFinished);
    }

    [Fact]
    public void IgnoresReportsOfOtherAttemptsAndFinishedSlots()
    {
        var book = Book();
        book.RecordLaunch(book[0], "i-0", T0);
        Assert.False(book.RecordProgress(0, 1, Progress(10, 10), T0));
        Assert.True(book.RecordResult(0, 0, Result("exhausted", 500)));
        Assert.False(book.RecordProgress(0, 0, Progress(10, 10), T0));
        Assert.Equal(SlotPhase.Done, book[0].Phase);
        Assert.False(book.RecordProgress(7, 0, Progress(10, 10), T0));
    }

    [Fact]
    public void ALostSlotResumesAtItsCheckpointWithANewAttempt()
    {
        var book = Book();
        var slot = book[1]; // 500..999
        book.RecordLaunch(slot, "i-1", T0);
        book.RecordProgress(1, 0, Progress(next: 620, hashes: 120), T0);

        Assert.True(book.RecordLoss(slot, "gone"));
        Assert.Equal(SlotPhase.Unlaunched, slot.Phase);
        Assert.Equal(1, slot.Attempt);
        Assert.Equal(620u, slot.AttemptStart);
        Assert.Null(slot.InstanceId);
        Assert.Equal(120UL, slot.Hashes);
        Assert.Equal(1, book.Relaunched);

        book.RecordLaunch(slot, "i-2", T0);
        Assert.False(book.RecordProgress(1, 0, Progress(700, 200), T0));
        Assert.True(book.RecordProgress(1, 1, Progress(700, 80), T0));
        Assert.Equal(200UL, slot.Hashes);
    }

    [Fact]
    public void AResultThatStoppedEarlyIsACheckpointToo()
    {
        var book = OneSlotCheckpointedAt(300);
        book.RecordResult(0, 0, Result("cancelled", 420, next: 410));
        Assert.False(book[0].Covered);

        Assert.True(book.RecordLoss(book[0], "interrupted"));
        Assert.Equal(410u, book[0].AttemptStart);
        Assert.Equal(420UL, book[0].Hashes);
    }

    [Fact]
    public void ACheckpointNeverMovesBackwards()
    {
        var book = OneSlotCheckpointedAt(500);
        book.RecordLoss(book[0], "gone");
        book.RecordLaunch(book[0], "i-1", T0);
        // A relaunched worker that has not reported yet still resumes where the last one stopped.
        Assert.True(book.RecordLoss(book[0], "gone again"));
        Assert.Equal(500u, book[0].AttemptStart);
    }

    [Fact]
    public void ASlotLostAfterScanningItsWholeRangeIsDone()
    {
        var book = OneSlotCheckpointedAt(1000);
        Assert.True(book.RecordLoss(book[0], "gone"));
        Assert.Equal(SlotPhase.Done, book[0].Phase);
        Assert.True(book.AllFinished);
        Assert.True(book.Coverage(StopReason.Exhausted).Complete);
    }

    [Fact]
    public void GivesUpAfterTheLastAttemptAndReportsTheRangeFromTheCheckpoint()
    {
        var book = Book(slots: 2, attempts: 2);
        book.RecordLaunch(book[1], "i-0", T0);
        book.RecordProgress(1, 0, Progress(next: 650, hashes: 150), T0);
        Assert.True(book.RecordLoss(book[1], "gone"));
        book.RecordLaunch(book[1], "i-1", T0);
        book.RecordProgress(1, 1, Progress(next: 700, hashes: 50), T0);
        Assert.False(book.RecordLoss(book[1], "gone again"));
        book.Abandon(book[1], "failed 2 times");
        book.RecordLaunch(book[0], "i-2", T0);
        book.RecordResult(0, 0, Result("exhausted", 500));

        Assert.True(book.AllFinished);
        var coverage = book.Coverage(StopReason.Exhausted);
        Assert.False(coverage.Complete);
        var missing = Assert.Single(coverage.Missing);
        Assert.Equal((700u, 999u), (missing.Start, missing.End));
        Assert.Equal(300UL, coverage.MissingNonces);
        Assert.Contains("slot 1", missing.Reason);
        Assert.Equal("missing 700-999", coverage.ToString());
    }

    [Fact]
    public void AfterAFindOnlyGivenUpRangesAreMissing()
    {
        var book = Book(slots: 3);
        book.RecordLaunch(book[0], "i-0", T0);
        book.RecordLaunch(book[1], "i-1", T0);
        book.RecordResult(0, 0, Result("found", 10, next: 11));
        book.RecordProgress(1, 0, Progress(next: 400, hashes: 67), T0);
        book.Abandon(book[2], "failed 3 times");

        var found = book.Coverage(StopReason.Found);
        Assert.Equal(667u, Assert.Single(found.Missing).Start);

        var timedOut = book.Coverage(StopReason.TimeLimit);
        Assert.Equal([(400u, 666u), (667u, 999u)], timedOut.Missing.Select(r => (r.Start, r.End)));
    }

    [Fact]
    public void WorkersQuietTooLongAreSilent()
    {
        var book = Book(slots: 3);
        book.RecordLaunch(book[0], "i-0", T0);
        book.RecordLaunch(book[1], "i-1", T0);
        book.RecordLaunch(book[2], "i-2", T0);
        book.RecordProgress(1, 0, Progress(400, 67), T0 + TimeSpan.FromSeconds(5));
        book.RecordProgress(2, 0, Progress(700, 34), T0 + TimeSpan.FromSeconds(9));
        var boot = TimeSpan.FromSeconds(20);
        var silence = TimeSpan.FromSeconds(4);

        Assert.Empty(book.Silent(T0 + TimeSpan.FromSeconds(8), boot, silence));
        Assert.Equal([1], book.Silent(T0 + TimeSpan.FromSeconds(10), boot, silence).Select(s => s.Slot));
        Assert.Equal([0, 1, 2], book.Silent(T0 + TimeSpan.FromSeconds(21), boot, silence).Select(s => s.Slot));
    }

    [Fact]
    public void DiscardingAFalseResultDropsItsCheckpointSoTheRangeIsScannedAgain()
    {
        var book = Book(slots: 1);
        book.RecordLaunch(book[0], "i-0", T0);
        Assert.True(book.RecordProgress(0, 0, Progress(200, 200), T0));
        // A forged "found" result claims the whole slot is done.
        Assert.True(book.RecordResult(0, 0, Result("found", 1000, next: 1000)));
        Assert.Equal(1000UL, book[0].Checkpoint);

        book.DiscardResult(book[0]);
        Assert.Equal(SlotPhase.Scanning, book[0].Phase);
        Assert.Equal(200UL, book[0].Checkpoint);
        Assert.True(book.RecordLoss(book[0], "false claim"));
        Assert.Equal((SlotPhase.Unlaunched, 1, 200U), (book[0].Phase, book[0].Attempt, book[0].AttemptStart));
    }
}
