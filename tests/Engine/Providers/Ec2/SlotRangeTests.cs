namespace CloudNonce.Engine.Tests.Providers.Ec2;

public class SlotRangeTests
{
    [Fact]
    public void SplitsEvenlyAndContiguously()
    {
        var slots = SlotRange.Split(0, 99, 4);
        Assert.Equal([new SlotRange(0, 0, 24), new SlotRange(1, 25, 49), new SlotRange(2, 50, 74), new SlotRange(3, 75, 99)], slots);
    }

    [Fact]
    public void GivesTheRemainderToTheFirstSlots()
    {
        var slots = SlotRange.Split(10, 19, 3);
        Assert.Equal([4UL, 3UL, 3UL], slots.Select(s => s.Size));
        Assert.Equal(10u, slots[0].Start);
        Assert.Equal(19u, slots[^1].End);
    }

    [Fact]
    public void CoversTheWhole32BitSpaceWithoutOverflow()
    {
        var slots = SlotRange.Split(0, uint.MaxValue, 50);
        Assert.Equal(50, slots.Count);
        Assert.Equal(0u, slots[0].Start);
        Assert.Equal(uint.MaxValue, slots[^1].End);
        Assert.Equal(1UL << 32, slots.Aggregate(0UL, (sum, s) => sum + s.Size));
        for (var i = 1; i < slots.Count; i++)
            Assert.Equal((ulong)slots[i - 1].End + 1, slots[i].Start);
    }

    [Fact]
    public void NeverMakesMoreSlotsThanNonces()
    {
        var slots = SlotRange.Split(7, 9, 50);
        Assert.Equal([new SlotRange(0, 7, 7), new SlotRange(1, 8, 8), new SlotRange(2, 9, 9)], slots);
    }

    [Fact]
    public void RefusesEmptyRangesAndZeroSlots()
    {
        Assert.Throws<ArgumentException>(() => SlotRange.Split(5, 4, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SlotRange.Split(0, 4, 0));
    }
}
