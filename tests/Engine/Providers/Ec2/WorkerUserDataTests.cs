namespace CloudNonce.Engine.Tests.Providers.Ec2;

public class WorkerUserDataTests
{
    // As long as a real presigned GET with a session token gets: the longest URL user-data holds.
    private static readonly string LongUrl = "https://cloudnonce-123456789012-eu-west-2.s3.eu-west-2.amazonaws.com/searches/cnd-20261125120000-ab12cd/launch-0.json?" +
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAEXAMPLE%2F20261125%2Feu-west-2%2Fs3%2Faws4_request&X-Amz-Date=20261125T120000Z" +
        "&X-Amz-Expires=3600&X-Amz-Security-Token=" + new string('A', 1200) + "&X-Amz-SignedHeaders=host&X-Amz-Signature=" + new string('f', 64);

    [Fact]
    public void TheEmbeddedBootstrapRendersWellBelowTheUserDataLimit()
    {
        var script = WorkerUserData.Embedded().Render(LongUrl, DateTimeOffset.FromUnixTimeSeconds(1764072060));
        Assert.StartsWith("#!", script);
        Assert.Contains($"'{LongUrl}'", script);
        Assert.Contains("1764072060", script);
        Assert.DoesNotContain(WorkerUserData.ManifestUrlPlaceholder, script);
        Assert.DoesNotContain(WorkerUserData.ShutdownAtPlaceholder, script);
        // Headroom for the template to grow: a quarter of the limit stays free.
        Assert.True(Encoding.UTF8.GetByteCount(script) < WorkerUserData.MaxBytes * 3 / 4, $"user-data is {Encoding.UTF8.GetByteCount(script)} bytes");
    }

    [Fact]
    public void CommentLinesAreLeftOutOfTheUserDataButTheShebangStays()
    {
        var script = new WorkerUserData("#!/bin/bash\n# why\n  # indented why\nM='@MANIFEST_URL@' S=@SHUTDOWN_AT@ # kept: not a comment line\n")
            .Render("http://x/y", DateTimeOffset.UnixEpoch);
        Assert.Equal("#!/bin/bash\nM='http://x/y' S=0 # kept: not a comment line\n", script);
    }

    [Fact]
    public void RefusesAScriptOverTheLimit()
    {
        var template = "#!/bin/sh\nM='@MANIFEST_URL@' S=@SHUTDOWN_AT@\n: " + new string('x', WorkerUserData.MaxBytes);
        var e = Assert.Throws<InvalidOperationException>(() => new WorkerUserData(template).Render("http://x/y", DateTimeOffset.UnixEpoch));
        Assert.Contains("16384", e.Message);
    }

    [Theory]
    [InlineData("http://x/'; reboot; '")]
    [InlineData("http://x/$(reboot)")]
    [InlineData("http://x/\nreboot")]
    public void RefusesUrlsThatCouldBreakOutOfTheShellWord(string url) =>
        Assert.Throws<ArgumentException>(() => WorkerUserData.Embedded().Render(url, DateTimeOffset.UnixEpoch));

    [Fact]
    public void ATemplateMustHaveBothPlaceholders() =>
        Assert.Throws<ArgumentException>(() => new WorkerUserData("#!/bin/sh\necho @MANIFEST_URL@\n"));

    [Fact]
    public void UserDataIsBase64OfTheUtf8Script() =>
        Assert.Equal("IyEvYmluL3NoCg==", WorkerUserData.ToBase64("#!/bin/sh\n"));
}
