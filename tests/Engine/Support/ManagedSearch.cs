namespace CloudNonce.Engine.Tests.Support;

/// <summary>The search answer computed the slow, obvious way, to compare the native scanner against.</summary>
internal static class ManagedSearch
{
    public static uint? LowestGolden(byte[] block, int difficulty, uint start, uint end)
    {
        for (ulong n = start; n <= end; n++)
        {
            if (NonceHasher.IsGolden(block, (uint)n, difficulty)) return (uint)n;
        }
        return null;
    }
}
