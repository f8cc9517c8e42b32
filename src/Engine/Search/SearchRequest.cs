namespace CloudNonce.Engine.Search;

/// <summary>What to search: one block, one nonce range, one difficulty, within a time limit.
/// Providers (local cores, EC2 fleet) all take this same request.</summary>
public sealed record SearchRequest
{
    /// <summary>The original tool's block, searched when the user names none.</summary>
    public const string DefaultBlockText = "COMSM0010cloud";

    /// <summary>The original tool's default -T.</summary>
    public static readonly TimeSpan DefaultTimeLimit = TimeSpan.FromSeconds(300);

    public required byte[] Block { get; init; }
    public required int Difficulty { get; init; }
    public uint NonceStart { get; init; }
    public uint NonceEnd { get; init; } = uint.MaxValue;
    public TimeSpan TimeLimit { get; init; } = DefaultTimeLimit;
    /// <summary>Units to run: threads (Local, -Threads) or instances (EC2, -VMCount). 0 = let the provider / plan choose.</summary>
    public int Units { get; init; }
    /// <summary>Target probability of success within the time limit, used when Units is 0.</summary>
    public double? Confidence { get; init; }
    /// <summary>Native kernel name ("auto", "scalar", "avx2", "avx512", "shani", "armv8", "neon").</summary>
    public string Kernel { get; init; } = "auto";
    public string SearchId { get; init; } = NewSearchId();
    /// <summary>Where the search records its events (-LogPath); by default nowhere.</summary>
    public ISearchEventSink Events { get; init; } = SearchEvents.None;

    public ulong RangeSize => (ulong)NonceEnd - NonceStart + 1;

    public static string NewSearchId() =>
        "cnd-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "-" + Guid.NewGuid().ToString("N")[..6];
}
