using System.Reflection;
using System.Text;

namespace ClusterPro.Samples.ConsoleHost.Ocf;

/// <summary>
/// An agent's meta-data (OCF 1.1): every parameter with its type, default and descriptions, and the actions with the
/// timeouts to give them. It validates against OCF 1.1's schema and against the ra-api-1.dtd that ocf-tester checks it
/// with (hence the DOCTYPE, and no attribute the DTD lacks).
/// </summary>
internal static class OcfMetadata
{
    /// <summary>The XML document, ending with a new line.</summary>
    public static string Xml(OcfAgentKind agent)
    {
        var version = typeof(OcfMetadata).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";
        var xml = new StringBuilder();
        xml.Append("<?xml version=\"1.0\"?>\n");
        xml.Append("<!DOCTYPE resource-agent SYSTEM \"ra-api-1.dtd\">\n");
        xml.Append($"<resource-agent name=\"{agent.Name}\" version=\"{E(version)}\">\n");
        xml.Append("<version>1.1</version>\n");
        xml.Append($"<longdesc lang=\"en\">{E(agent.LongDescription)}</longdesc>\n");
        xml.Append($"<shortdesc lang=\"en\">{E(agent.ShortDescription)}</shortdesc>\n");
        xml.Append("<parameters>\n");
        foreach (var p in agent.All)
        {
            var choices = p.Choices.Count > 0 ? $" One of: {string.Join(", ", p.Choices)}." : string.Empty;
            xml.Append($"<parameter name=\"{p.Name}\" required=\"{(p.Required ? 1 : 0)}\" unique=\"{(p.Unique ? 1 : 0)}\">\n");
            xml.Append($"<longdesc lang=\"en\">{E(p.LongDescription + choices)}</longdesc>\n");
            xml.Append($"<shortdesc lang=\"en\">{E(p.ShortDescription)}</shortdesc>\n");
            xml.Append($"<content type=\"{p.OcfType}\" default=\"{E(p.Default)}\" />\n");
            xml.Append("</parameter>\n");
        }

        xml.Append("</parameters>\n");
        xml.Append("<actions>\n");
        xml.Append("<action name=\"start\" timeout=\"20s\" />\n");
        xml.Append("<action name=\"stop\" timeout=\"20s\" />\n");
        xml.Append("<action name=\"monitor\" timeout=\"20s\" interval=\"30s\" depth=\"0\" />\n");
        xml.Append("<action name=\"meta-data\" timeout=\"5s\" />\n");
        xml.Append("<action name=\"validate-all\" timeout=\"20s\" />\n");
        xml.Append("</actions>\n");
        xml.Append("</resource-agent>\n");
        return xml.ToString();
    }

    private static string E(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
}
