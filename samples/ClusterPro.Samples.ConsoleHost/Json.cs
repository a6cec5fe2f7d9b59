using System.Text.Encodings.Web;
using System.Text.Json;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>How the commands write JSON for machines: indented, camelCase, non-ASCII text as it is.</summary>
internal static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
