namespace CloudNonce.Engine.Tests.Providers.Ec2;

public sealed class WorkerScannersTests : IDisposable
{
    private readonly string _workers = Directory.CreateTempSubdirectory("cnd-workers-").FullName;

    public void Dispose() => Directory.Delete(_workers, recursive: true);

    private static LaunchTarget Target(string type, WorkerArchitecture architecture) =>
        new("123456789012", "ami-1", type, 2, new WorkerNetwork("vpc-1", null, false, "default VPC"), architecture);

    private string Place(WorkerArchitecture architecture)
    {
        var path = architecture.ScannerIn(_workers);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, architecture.Ec2Name);
        return path;
    }

    [Fact]
    public void OnlyTheArchitecturesOfTheTargetsAreLocated()
    {
        var arm = Place(WorkerArchitecture.Arm64);
        var files = WorkerScanners.Locate([Target("c7g.large", WorkerArchitecture.Arm64), Target("m7g.large", WorkerArchitecture.Arm64)],
            a => a.ScannerIn(_workers));
        Assert.Equal(arm, Assert.Single(files).Value);
        Assert.Equal(WorkerArchitecture.Arm64, files.Keys.Single());
    }

    [Fact]
    public void AMissingScannerNamesItsPathTheTypeAndHowToBuildIt()
    {
        Place(WorkerArchitecture.X86_64);
        var e = Assert.Throws<FileNotFoundException>(() =>
            WorkerScanners.Locate([Target("c7i.large", WorkerArchitecture.X86_64), Target("c7g.large", WorkerArchitecture.Arm64)], a => a.ScannerIn(_workers)));
        Assert.Equal(WorkerArchitecture.Arm64.ScannerIn(_workers), e.FileName);
        Assert.Contains($"The arm64 worker scanner '{e.FileName}' (for instance type c7g.large) does not exist", e.Message);
        Assert.Contains("./build.ps1 Build, which builds bin/workers/linux-arm64/cnd-scan", e.Message);
    }

    [Fact]
    public void ALaunchGetsTheScannerOfItsArchitecture()
    {
        var scanners = new WorkerScanners(new Dictionary<WorkerArchitecture, ScannerObject>
        {
            [WorkerArchitecture.X86_64] = new("scanners/aaa/cnd-scan", "aaa"),
            [WorkerArchitecture.Arm64] = new("scanners/bbb/cnd-scan", "bbb"),
        });
        Assert.Equal("bbb", scanners.For(Target("c7g.large", WorkerArchitecture.Arm64).Architecture).Sha256);
        Assert.Equal("scanners/aaa/cnd-scan", scanners.For(WorkerArchitecture.X86_64).Key);
        var armOnly = new WorkerScanners(new Dictionary<WorkerArchitecture, ScannerObject> { [WorkerArchitecture.Arm64] = new("scanners/bbb/cnd-scan", "bbb") });
        Assert.Contains("No x86_64 scanner", Assert.Throws<InvalidOperationException>(() => armOnly.For(WorkerArchitecture.X86_64)).Message);
    }
}
