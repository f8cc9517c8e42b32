namespace CloudNonce.Engine.Tests.Support;

/// <summary>Threads of this process that belong to local searches. The Local provider names its scan
/// thread "cnd-local &lt;search id&gt;"; Linux keeps the first 15 characters as the thread's comm, and
/// the native hashing threads inherit it, so every thread of a search is counted.</summary>
internal static class SearchThreads
{
    public static int Count() => OperatingSystem.IsLinux()
        ? Directory.GetDirectories("/proc/self/task").Count(task => ReadComm(task).StartsWith("cnd-local", StringComparison.Ordinal))
        : 0;

    /// <summary>The count once it reaches zero, or after <paramref name="patience"/>: a search's
    /// result is published just before its scan thread returns, so that thread may need a moment.</summary>
    public static int CountAfterSettling(TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        int count;
        while ((count = Count()) > 0 && DateTime.UtcNow < deadline) Thread.Sleep(10);
        return count;
    }

    private static string ReadComm(string task)
    {
        try { return File.ReadAllText(Path.Combine(task, "comm")); }
        catch (IOException) { return ""; } // the thread ended while we looked
    }
}
