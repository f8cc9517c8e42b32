namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>When the controller may call RunInstances again after EC2 refused: exponential back-off
/// from <see cref="Initial"/>, doubling per consecutive refusal up to <see cref="Maximum"/>, reset by
/// a launch that starts every instance it asked for. No jitter: one controller per search retries,
/// so there is no herd of clients to spread out. Times are passed in, so tests need no clock.</summary>
public sealed class LaunchBackoff(TimeSpan initial, TimeSpan maximum)
{
    public static readonly TimeSpan DefaultInitial = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultMaximum = TimeSpan.FromSeconds(60);

    public TimeSpan Initial { get; } = initial > TimeSpan.Zero ? initial : throw new ArgumentOutOfRangeException(nameof(initial));
    public TimeSpan Maximum { get; } = maximum >= initial ? maximum : throw new ArgumentOutOfRangeException(nameof(maximum));
    /// <summary>Refusals since the last full launch.</summary>
    public int Failures { get; private set; }
    public DateTimeOffset NotBefore { get; private set; } = DateTimeOffset.MinValue;

    public bool Ready(DateTimeOffset now) => now >= NotBefore;

    /// <summary>Records a refusal at <paramref name="now"/>; returns the wait before the next try.</summary>
    public TimeSpan Failed(DateTimeOffset now)
    {
        var wait = Delay(Failures);
        Failures++;
        NotBefore = now + wait;
        return wait;
    }

    public void Succeeded()
    {
        Failures = 0;
        NotBefore = DateTimeOffset.MinValue;
    }

    /// <summary>The wait after the (<paramref name="failures"/>+1)-th consecutive refusal.</summary>
    public TimeSpan Delay(int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures, 30));
        var seconds = Math.Min(Initial.TotalSeconds * factor, Maximum.TotalSeconds);
        return TimeSpan.FromSeconds(seconds);
    }
}
