using System.Management.Automation;
using CloudNonce.Engine.Native;

namespace CloudNonce.Cmdlets.Tests.Commands;

[Collection(SerialCollection.Name)]
public class StartCndSearchCommandTests
{
    [Fact]
    public void Returns_a_verified_result()
    {
        var (output, shell) = HostedPowerShell.Run("Start-CndSearch -Difficulty 16");
        using var _ = shell;
        var result = Assert.IsType<CndSearchResult>(Assert.Single(output));
        Assert.True(result.Found);
        Assert.Equal(StopReason.Found, result.StopReason);
        var digest = ReferenceHash.Digest(Encoding.UTF8.GetBytes("COMSM0010cloud"), result.Nonce!.Value);
        Assert.Equal(Convert.ToHexStringLower(digest), result.Hash);
    }

    [Fact]
    public void Searches_each_block_from_the_pipeline()
    {
        var (output, shell) = HostedPowerShell.Run("'a', 'b' | Start-CndSearch -D 12 -Threads 1");
        using var _ = shell;
        Assert.Equal(["61", "62"], output.Cast<CndSearchResult>().Select(r => r.BlockHex));
        Assert.All(output.Cast<CndSearchResult>(), r => Assert.True(r.Found));
    }

    [Fact]
    public void Writes_progress_and_completes_it()
    {
        var (output, shell) = HostedPowerShell.Run("Start-CndSearch -D 256 -T 1.2");
        using var _ = shell;
        Assert.Equal(StopReason.TimeLimit, Assert.IsType<CndSearchResult>(Assert.Single(output)).StopReason);
        var records = shell.Streams.Progress.ToList();
        Assert.True(records.Count >= 2, $"{records.Count} progress records");
        Assert.Contains("nonces/s", records[0].StatusDescription);
        Assert.Equal(ProgressRecordType.Completed, records[^1].RecordType);
    }

    [Fact]
    public void Stop_ends_the_search_promptly_and_returns_nothing()
    {
        using var shell = HostedPowerShell.Create();
        using var started = new ManualResetEventSlim();
        shell.Streams.Progress.DataAdded += (_, _) => started.Set();
        shell.AddScript("Start-CndSearch -D 256 -T 60");
        var run = shell.BeginInvoke();
        Assert.True(started.Wait(TimeSpan.FromSeconds(10)), "the search never reported progress");
        if (OperatingSystem.IsLinux()) Assert.True(SearchThreads.Count() >= 2, "the scan and hashing threads should be running");
        shell.Stop();
        // Ended by the stop, long before the 60 s limit; how fast is measured by bench/Measure-StopLatency.ps1.
        Assert.True(run.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(20)));
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        Assert.Equal(0, SearchThreads.CountAfterSettling(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void WhatIf_runs_nothing()
    {
        var (output, shell) = HostedPowerShell.Run("Start-CndSearch -D 256 -T 30 -WhatIf");
        using var _ = shell;
        Assert.Empty(output);
        Assert.Empty(shell.Streams.Progress);
    }

    [Fact]
    public void Verbose_says_what_the_engine_decided()
    {
        var (_, shell) = HostedPowerShell.Run("Start-CndSearch -D 8 -Threads 1 -Kernel scalar -Verbose");
        using var __ = shell;
        var verbose = string.Join("\n", shell.Streams.Verbose.Select(v => v.Message));
        Assert.Contains("scalar kernel", verbose);
        Assert.Contains("1 thread at", verbose);
        Assert.Contains("P = ", verbose);
        Assert.Contains("Found after", verbose);
    }

    [Theory]
    [InlineData("Start-CndSearch -D 300", "ParameterArgumentValidationError", "300")]
    [InlineData("Start-CndSearch -D 1 -L 0", "ParameterArgumentValidationError", "confidence 0")]
    [InlineData("Start-CndSearch -D 1 -L 1.5", "ParameterArgumentValidationError", "confidence 1.5")]
    [InlineData("Start-CndSearch -D 1 -T 0", "ParameterArgumentValidationError", "0 s")]
    [InlineData("Start-CndSearch -D 1 -T soon", "ParameterArgumentTransformationError", "'soon'")]
    [InlineData("Start-CndSearch -D 1 -NonceStart 9 -NonceEnd 8", "NonceRangeInvalid", "-NonceStart 9 is greater than -NonceEnd 8")]
    [InlineData("Start-CndSearch -D 1 -BlockBytes ([byte[]]@())", "ParameterArgumentValidationError", "0 bytes")]
    [InlineData("Start-CndSearch -D 1 -Threads 0", "ParameterArgumentValidationError", "value 0 is outside the valid range 1..1024")]
    [InlineData("Start-CndSearch -D 1 -Threads 1025", "ParameterArgumentValidationError", "value 1025 is outside the valid range 1..1024")]
    [InlineData("Start-CndSearch -D 1 -Provider Moon", "ParameterArgumentTransformationError", "'Moon' is not a provider. Valid providers: Local, EC2")]
    [InlineData("Start-CndSearch -D 1 -Kernel sse9", "ParameterArgumentValidationError", "'sse9' is not a kernel")]
    [InlineData("Start-CndSearch -D 1 -Provider EC2 -Threads 2", "LocalOptionWithEc2Provider", "-Threads applies to -Provider Local only, not -Provider EC2. With -Provider EC2, set the instance count with -VMCount.")]
    [InlineData("Start-CndSearch -D 40 -L 0.9 -T 5", "PlanUnreachable", "No thread count reaches L = 90%")]
    public void Bad_input_is_an_error_that_names_the_value(string script, string errorId, string message)
    {
        var (output, shell) = HostedPowerShell.Run(script);
        using var _ = shell;
        Assert.Empty(output);
        var error = Assert.Single(shell.Streams.Error);
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Contains(message, error.Exception.Message);
    }

    [FactNeedingAnUnavailableKernel]
    public void Native_failures_are_terminating_errors_with_an_id_and_category()
    {
        var missing = UnavailableKernel.Name!;
        var (_, shell) = HostedPowerShell.Run($"Start-CndSearch -D 4 -Kernel {missing}");
        using var __ = shell;
        var error = Assert.Single(shell.Streams.Error);
        Assert.StartsWith("NativeKernelUnavailable,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
    }
}
