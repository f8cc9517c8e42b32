using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudNonce.Engine.Providers.Ec2;

/// <summary>The JSON conventions of the controller ⇄ worker objects.</summary>
internal static class WorkerJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        // Presigned URLs stay readable ('&', not \u0026) for the bootstrap's small JSON reader.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Reads one protocol object; <paramref name="what"/> names it in the error when the JSON is null.</summary>
    public static T Parse<T>(string json, string what) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new FormatException($"The {what} is empty.");
}
