using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>
/// How the commands write JSON for machines: indented, camelCase, non-ASCII text as it is, enums by name. The
/// serializers are generated at build time (System.Text.Json source generation), so the native tool needs no reflection.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StatusDocument))]
[JsonSerializable(typeof(CheckDocument))]
internal sealed partial class Json : JsonSerializerContext
{
    /// <summary>The commands' serializers, writing non-ASCII text as it is.</summary>
    public static Json Tool { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
