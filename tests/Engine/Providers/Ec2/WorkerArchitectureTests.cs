namespace CloudNonce.Engine.Tests.Providers.Ec2;

public class WorkerArchitectureTests
{
    private static InstanceTypeFacts Type(string name, params string[] architectures) => new(name, 2, architectures);

    private static IReadOnlyDictionary<string, WorkerArchitecture> Architectures(params InstanceTypeFacts[] types) => ArchitectureCheck.Of(types);

    [Theory]
    [InlineData("x86_64", "x86_64")]
    [InlineData("i386,x86_64", "x86_64")]
    [InlineData("arm64", "arm64")]
    [InlineData("ARM64", "arm64")]
    public void ATypeRunsTheWorkerArchitectureItSupports(string supported, string expected)
    {
        Assert.Equal(expected, WorkerArchitecture.For(supported.Split(','))!.Ec2Name);
    }

    [Theory]
    [InlineData("i386")]
    [InlineData("arm64_mac")]
    [InlineData("x86_64_mac")]
    [InlineData("")]
    public void ArchitecturesWithoutAScannerHaveNoWorkerArchitecture(string supported)
    {
        Assert.Null(WorkerArchitecture.For(supported.Split(',', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void OneRuleNamesTheAmiParameterAndScannerOfEachArchitecture()
    {
        Assert.Equal("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", WorkerArchitecture.X86_64.AmiParameter);
        Assert.Equal("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64", WorkerArchitecture.Arm64.AmiParameter);
        var options = new Ec2Options { WorkersFolder = "/m/bin/workers" };
        Assert.Equal("/m/bin/workers/linux-x64/cnd-scan", options.ResolvedScannerPath(WorkerArchitecture.X86_64));
        Assert.Equal("/m/bin/workers/linux-arm64/cnd-scan", options.ResolvedScannerPath(WorkerArchitecture.Arm64));
        Assert.Equal(Path.Combine(Path.GetDirectoryName(typeof(Ec2Options).Assembly.Location)!, "workers", "linux-arm64", "cnd-scan"),
            new Ec2Options().ResolvedScannerPath(WorkerArchitecture.Arm64));
    }

    [Fact]
    public void ATypeNoScannerRunsOnIsRefusedNamingWhatItRuns()
    {
        var e = Assert.Throws<AwsConfigurationException>(() => Architectures(Type("c7i.large", "x86_64"), Type("mac2.metal", "arm64_mac")));
        Assert.Contains("'mac2.metal' runs arm64_mac", e.Message);
        Assert.Contains("x86_64 and arm64 only", e.Message);
    }

    [Fact]
    public void AMixedSetNeedsBothArchitectures()
    {
        var byType = Architectures(Type("c7g.large", "arm64"), Type("c7i.large", "x86_64"), Type("m7g.large", "arm64"));
        Assert.Equal(WorkerArchitecture.Arm64, byType["C7G.LARGE"]);
        Assert.Equal(WorkerArchitecture.X86_64, byType["c7i.large"]);
        Assert.Equal([WorkerArchitecture.X86_64, WorkerArchitecture.Arm64], ArchitectureCheck.Needed(byType));
        Assert.Equal([WorkerArchitecture.Arm64], ArchitectureCheck.Needed(Architectures(Type("c7g.large", "arm64"))));
    }

    [Fact]
    public void AnImageOfTheTypesArchitecturePasses()
    {
        ArchitectureCheck.CheckImage("ami-1", "arm64", Architectures(Type("c7g.large", "arm64"), Type("t4g.small", "arm64")));
        ArchitectureCheck.CheckImage("ami-1", "x86_64", Architectures(Type("c7i.large", "i386", "x86_64")));
        ArchitectureCheck.CheckImage("ami-1", null, Architectures(Type("c7g.large", "arm64")));
    }

    [Fact]
    public void AnImageOfAnotherArchitectureIsRefusedNamingBoth()
    {
        var e = Assert.Throws<AwsConfigurationException>(() => ArchitectureCheck.CheckImage("ami-0x86", "x86_64", Architectures(Type("c7g.large", "arm64"))));
        Assert.Contains("'ami-0x86' is built for x86_64, but instance type 'c7g.large' runs arm64", e.Message);
        Assert.Contains("pass an arm64 image as -ImageId", e.Message);
        Assert.DoesNotContain("two architectures", e.Message);
    }

    [Fact]
    public void OneImageCannotServeAMixedSet()
    {
        var e = Assert.Throws<AwsConfigurationException>(() =>
            ArchitectureCheck.CheckImage("ami-0arm", "arm64", Architectures(Type("c7g.large", "arm64"), Type("c7i.large", "x86_64"))));
        Assert.Contains("'ami-0arm' is built for arm64, but instance type 'c7i.large' runs x86_64", e.Message);
        Assert.Contains("cannot serve instance types of two architectures", e.Message);
    }
}
