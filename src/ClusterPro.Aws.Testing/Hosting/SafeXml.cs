using System.Xml;
using System.Xml.Linq;

namespace ClusterPro.Aws.Testing.Hosting;

/// <summary>Parses request bodies as AWS's XML services do: no document type declarations, so no entities to expand or resolve.</summary>
internal static class SafeXml
{
    private static readonly XmlReaderSettings Settings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

    /// <summary>The document, or an <see cref="XmlException"/> (a DOCTYPE is one).</summary>
    public static XDocument Parse(string text)
    {
        using var reader = XmlReader.Create(new StringReader(text), Settings);
        return XDocument.Load(reader);
    }

    /// <summary>Route 53's <c>InvalidInput</c> text for a body it cannot take, as its XML parser words it.</summary>
    public static string Route53Message(string text, XmlException ex) =>
        text.Contains("<!DOCTYPE", StringComparison.OrdinalIgnoreCase)
            ? "Invalid XML ; DOCTYPE is disallowed when the feature \"http://apache.org/xml/features/disallow-doctype-decl\" set to true."
            : $"Invalid XML ; {ex.Message}";
}
