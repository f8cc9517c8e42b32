using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CloudNonce.Engine.Search;

/// <summary>A search's events as JSON lines appended to a file (Start-CndSearch -LogPath): one object per
/// line, each with "time" (UTC, ISO 8601), "event" and "searchId" first, then the event's details in
/// camelCase. Each line is flushed as it is written, so the file can be followed while the search runs
/// and holds everything up to a crash. Several searches may share a file: their searchId tells them apart.</summary>
public sealed class SearchEventLog : ISearchEventSink, IDisposable
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // A figure that is not a number (odds of an empty plan) is written as "NaN", never an exception.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly StreamWriter _writer;
    private readonly TimeProvider _clock;
    private readonly object _lock = new();
    private bool _closed;

    private SearchEventLog(StreamWriter writer, TimeProvider clock)
    {
        _writer = writer;
        _clock = clock;
    }

    public string Path { get; private init; } = "";

    /// <summary>Opens <paramref name="path"/> for appending, creating it if needed (its folder must exist).
    /// Throws IOException or UnauthorizedAccessException when it cannot be written.</summary>
    public static SearchEventLog Append(string path, TimeProvider? clock = null)
    {
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        return new SearchEventLog(new StreamWriter(stream, new UTF8Encoding(false)), clock ?? TimeProvider.System) { Path = path };
    }

    public void Write(string searchId, string name, object? fields = null)
    {
        var line = new JsonObject
        {
            ["time"] = _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            ["event"] = name,
            ["searchId"] = searchId,
        };
        if (fields is not null && JsonSerializer.SerializeToNode(fields, fields.GetType(), Json) is JsonObject details)
        {
            foreach (var (key, value) in details.ToList())
            {
                details.Remove(key);
                line[key] = value;
            }
        }
        lock (_lock)
        {
            if (_closed)
                return;
            try
            {
                _writer.WriteLine(line.ToJsonString());
                _writer.Flush();
            }
            catch (IOException)
            {
                // A full disk must not end the search (or leave its fleet running): the record stops here.
                _closed = true;
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _closed = true;
            _writer.Dispose();
        }
    }
}
