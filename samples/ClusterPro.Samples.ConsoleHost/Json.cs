using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ClusterPro.Samples.ConsoleHost.Web;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>
/// How the tool writes JSON for machines: camelCase, non-ASCII text as it is, enums by name; indented for a command's
/// document, on one line for the web view's event stream. The serializers are generated at build time (System.Text.Json
/// source generation), so the native tool needs no reflection: every type written or read is listed here.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StatusDocument))]
[JsonSerializable(typeof(CheckDocument))]
[JsonSerializable(typeof(WebDocument))]
[JsonSerializable(typeof(WebAnswer))]
[JsonSerializable(typeof(OperationBody))]
internal sealed partial class Json : JsonSerializerContext
{
    private static JsonSerializerOptions? s_indented;
    private static JsonSerializerOptions? s_compact;

    /// <summary>Indented, non-ASCII text as it is (made on first use: the generated part's <c>Default</c> is then set).</summary>
    public static JsonSerializerOptions Indented => s_indented ??= new(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>On one line, non-ASCII text as it is.</summary>
    public static JsonSerializerOptions Compact => s_compact ??= new(Indented) { WriteIndented = false };

    /// <summary>The generated serializer of <typeparamref name="T"/> with <paramref name="options"/>.</summary>
    public static JsonTypeInfo<T> For<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
