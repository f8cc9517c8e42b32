using CloudNonce.Engine.Providers.Ec2;

namespace CloudNonce.Engine.Tests.Ec2;

public class SlotBookTests
{
    private static SlotBook Book(int slots = 2, int attempts = 3) => new(SlotRange.Split(0, 999, slots), attempts);

    private static WorkerProgress Progress(ulong next, ulong hashes, double rate = 100) => new() { NextNonce = next, Hashes = hashes, Rate = rate };

    private static WorkerResult Result(string status, ulong hashes) => new() { Scan = new ScanOutcome { Status = status, Hashes = hashes } };

    [Fact]
    public void TracksPhasesFromLaunchToResult()
    {
        var book = Book();
        Assert.Equal(2, book.Unlaunched.Count);
        book.Launched(book[0], "i-0");
        book.Launched(book[1], "i-1");
        Assert.Equal((2, 0, 0), (book.Pending, book.Running, book.Finished));

        Assert.True(book.Apply(0, 0, Progress(100, 100, rate: 50)));
        Assert.Equal((1, 1, 0), (book.Pending, book.Running, book.Finished));
        Assert.Equal(50, book.Rate);

        Assert.True(book.Apply(1, 0, Result("exhausted", 500)));
        Assert.Equal(600UL, book.Hashes);
        Assert.Equal((0, 1, 1), (book.Pending, book.Running, book.Finished));
        Assert.False(book.AllFinished);
    }

    [Fact]
    public void IgnoresReportsOfOtherAttemptsAndFinishedSlots()
    {
        var book = Book();
        book.Launched(book[0], "i-0");
        Assert.False(book.Apply(0, 1, Progress(10, 10)));
        Assert.True(book.Apply(0, 0, Result("exhausted", 500)));
        Assert.False(book.Apply(0, 0, Progress(10, 10)));
        Assert.Equal(SlotPhase.Done, book[0].Phase);
        Assert.False(book.Apply(7, 0, Progress(10, 10)));
    }

    [Fact]
    public void ALostSlotResumesAtItsCheckpointWithANewAttempt()
    {
        var book = Book();
        var slot = book[1]; // 500..999
        book.Launched(slot, "i-1");
        book.Apply(1, 0, Progress(next: 620, hashes: 120));

        Assert.True(book.Lost(slot));
        Assert.Equal(SlotPhase.Unlaunched, slot.Phase);
        Assert.Equal(1, slot.Attempt);
        Assert.Equal(620u, slot.AttemptStart);
        Assert.Null(slot.InstanceId);
        Assert.Equal(120UL, slot.Hashes);

        book.Launched(slot, "i-2");
        Assert.False(book.Apply(1, 0, Progress(700, 200)));
        Assert.True(book.Apply(1, 1, Progress(700, 80)));
        Assert.Equal(200UL, slot.Hashes);
    }

    [Fact]
    public void ASlotLostAfterScanningItsWholeRangeIsDone()
    {
        var book = Book(slots: 1);
        book.Launched(book[0], "i-0");
        book.Apply(0, 0, Progress(next: 1000, hashes: 1000));
        Assert.True(book.Lost(book[0]));
        Assert.Equal(SlotPhase.Done, book[0].Phase);
        Assert.True(book.AllFinished);
    }

    [Fact]
    public void GivesUpAfterTheLastAttempt()
    {
        var book = Book(slots: 1, attempts: 2);
        book.Launched(book[0], "i-0");
        Assert.True(book.Lost(book[0]));
        book.Launched(book[0], "i-1");
        Assert.False(book.Lost(book[0]));
    }

    [Fact]
    public void AbandonedSlotsCountAsFinished()
    {
        var book = Book(slots: 1);
        book.Abandon(book[0]);
        Assert.True(book.AllFinished);
        Assert.Equal(SlotPhase.Abandoned, book[0].Phase);
    }
}
