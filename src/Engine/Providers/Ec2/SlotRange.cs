namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>One worker's share of the nonce space: [Start, End], both inclusive.</summary>
public readonly record struct SlotRange(int Slot, uint Start, uint End)
{
    public ulong Size => (ulong)End - Start + 1;

    /// <summary>Splits [start, end] into at most <paramref name="count"/> contiguous slots whose sizes
    /// differ by at most one, numbered from 0; never more slots than nonces.</summary>
    public static IReadOnlyList<SlotRange> Split(uint start, uint end, int count)
    {
        if (end < start)
            throw new ArgumentException($"The nonce range [{start}, {end}] is empty.");
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, "At least one slot is needed.");
        var total = (ulong)end - start + 1;
        var slots = (int)Math.Min((ulong)count, total);
        var baseSize = total / (ulong)slots;
        var larger = total % (ulong)slots;
        var result = new SlotRange[slots];
        ulong next = start;
        for (var i = 0; i < slots; i++)
        {
            var size = baseSize + ((ulong)i < larger ? 1UL : 0UL);
            result[i] = new SlotRange(i, (uint)next, (uint)(next + size - 1));
            next += size;
        }
        return result;
    }
}
