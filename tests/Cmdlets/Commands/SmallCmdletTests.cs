namespace CloudNonce.Cmdlets.Tests.Commands;

[Collection(SerialCollection.Name)]
public class SmallCmdletTests
{
    [Fact]
    public void Get_CndHash_takes_nonces_from_the_pipeline()
    {
        var (output, shell) = HostedPowerShell.Run("0..2 | Get-CndHash -Block 'hello'");
        using var _ = shell;
        var hashes = output.Cast<CndHash>().ToList();
        Assert.Equal([0u, 1u, 2u], hashes.Select(h => h.Nonce));
        Assert.Equal(Convert.ToHexStringLower(ReferenceHash.Digest("hello"u8.ToArray(), 2)), hashes[2].Hash);
    }

    [Fact]
    public void Test_CndNonce_checks_a_piped_search_result()
    {
        var (output, shell) = HostedPowerShell.Run("Start-CndSearch -D 10 -Block 'xyz' | Test-CndNonce");
        using var _ = shell;
        Assert.Equal([true], output);
    }

    [Fact]
    public void Get_CndSearchPlan_plans_from_the_given_rate()
    {
        var (output, shell) = HostedPowerShell.Run("Get-CndSearchPlan -D 32 -L 0.5 -T 60 -HashRate 1e7");
        using var _ = shell;
        var plan = Assert.IsType<SearchPlan>(Assert.Single(output));
        Assert.Equal(5, plan.Units);
        Assert.Equal(0.5026652463179724, plan.Probability, 1e-12);
    }

    [Fact]
    public void Measure_CndPerformance_returns_one_sample_per_kernel_and_thread_count()
    {
        var (output, shell) = HostedPowerShell.Run("Measure-CndPerformance -Kernel scalar -Threads 1, 2 -Duration 0.2");
        using var _ = shell;
        var samples = output.Cast<PerformanceSample>().ToList();
        Assert.Equal([1, 2], samples.Select(s => s.Threads));
        Assert.Equal(1.0, samples[0].Speedup, 1e-12);
        Assert.Empty(shell.Streams.Error);
    }
}
