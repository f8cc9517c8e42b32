using System.Reflection;
using System.Text;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>The worker bootstrap (worker/bootstrap.sh, embedded in this assembly) with its
/// placeholders filled in: the user-data of every instance of one launch.</summary>
public sealed class WorkerUserData
{
    /// <summary>EC2's limit on raw user-data, before base64.</summary>
    public const int MaxBytes = 16 * 1024;
    public const string ManifestUrlPlaceholder = "@MANIFEST_URL@";
    public const string ShutdownAtPlaceholder = "@SHUTDOWN_AT@";
    private const string ResourceName = "CloudNonce.Engine.worker.bootstrap.sh";

    private readonly string _template;

    public WorkerUserData(string template)
    {
        foreach (var placeholder in new[] { ManifestUrlPlaceholder, ShutdownAtPlaceholder })
            if (!template.Contains(placeholder, StringComparison.Ordinal))
                throw new ArgumentException($"The bootstrap template has no {placeholder} placeholder.", nameof(template));
        _template = WithoutCommentLines(template);
    }

    /// <summary>The template without its comment-only lines (the shebang stays): they explain the
    /// source in worker/, and user-data is capped at 16 KiB. The bootstrap has no here-documents, so a
    /// line that starts with '#' is always a comment.</summary>
    private static string WithoutCommentLines(string template)
    {
        var lines = template.Split('\n');
        return string.Join('\n', lines.Where((line, i) => i == 0 || !line.TrimStart().StartsWith('#')));
    }

    public static WorkerUserData Embedded()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The worker bootstrap resource '{ResourceName}' is missing from the engine assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return new WorkerUserData(reader.ReadToEnd());
    }

    /// <summary>The script for one launch; throws when it would not fit EC2's user-data limit.</summary>
    public string Render(string manifestUrl, DateTimeOffset shutdownAt)
    {
        // The URL lands inside a quoted shell word: a quote or line break could end it early.
        if (manifestUrl.IndexOfAny(['\'', '"', '\n', '\r', '`', '$', '\\']) >= 0)
            throw new ArgumentException("The manifest URL holds characters that are unsafe in the shell script.", nameof(manifestUrl));
        var script = _template
            .Replace(ManifestUrlPlaceholder, manifestUrl, StringComparison.Ordinal)
            .Replace(ShutdownAtPlaceholder, shutdownAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var size = Encoding.UTF8.GetByteCount(script);
        if (size > MaxBytes)
            throw new InvalidOperationException($"The worker user-data is {size} bytes; EC2 accepts at most {MaxBytes}.");
        return script;
    }

    public static string ToBase64(string script) => Convert.ToBase64String(Encoding.UTF8.GetBytes(script));
}
