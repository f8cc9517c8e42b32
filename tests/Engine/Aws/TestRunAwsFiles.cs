using System.Runtime.CompilerServices;

namespace CloudNonce.Engine.Tests.Aws;

/// <summary>The shared config and credentials files of this test run. The SDK fixes where those files
/// are at its first use in a process, so tests that write profiles can only reach it if it looks in a
/// place of the run's own from the start; it also keeps every test away from a developer's ~/.aws.</summary>
internal static class TestRunAwsFiles
{
    public static string ConfigFile { get; private set; } = "";
    public static string CredentialsFile { get; private set; } = "";

#pragma warning disable CA2255 // a test assembly, not a library: this must run before any test touches the SDK
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void PointTheSdkAtTheRunsFiles()
    {
        var folder = Directory.CreateTempSubdirectory("cnd-xunit-aws-").FullName;
        ConfigFile = Path.Combine(folder, "config");
        CredentialsFile = Path.Combine(folder, "credentials");
        Clear();
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", ConfigFile);
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", CredentialsFile);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
    }

    /// <summary>Back to no profile at all.</summary>
    public static void Clear()
    {
        File.WriteAllText(ConfigFile, "");
        File.WriteAllText(CredentialsFile, "");
    }
}
