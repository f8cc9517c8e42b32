using CloudNonce.Engine.Native;

namespace CloudNonce.Engine.Tests.Native;

[Collection(SerialCollection.Name)]
public class NativeLimitsTests
{
    [Fact]
    public void MaxThreads_is_the_thread_count_the_library_cuts_a_larger_request_to()
    {
        // A cancelled token stops each thread before its first chunk: the threads start, none hashes.
        // The full range has far more chunks than threads, so only the thread maximum limits the count.
        var outcome = NativeScanner.Scan(new ScanSpec
        {
            Block = [1],
            Difficulty = NonceHasher.UnreachableDifficulty,
            Threads = NativeLimits.MaxThreads + 1,
        }, null, new CancellationToken(true));
        Assert.Equal(ScanStatus.Cancelled, outcome.Status);
        Assert.Equal(NativeLimits.MaxThreads, outcome.Threads);
    }
}
