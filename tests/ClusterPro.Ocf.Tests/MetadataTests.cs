using System.Diagnostics;
using System.Xml.Linq;
using ClusterPro.Samples.ConsoleHost.Ocf;

namespace ClusterPro.Ocf.Tests;

/// <summary>Each agent's meta-data: OCF 1.1, every parameter with its type, default and descriptions, and valid for ocf-tester's DTD.</summary>
public sealed class MetadataTests
{
    public static TheoryData<string> Agents => new(OcfAgentKind.AllAgents.Select(a => a.Name));

    [Theory]
    [MemberData(nameof(Agents))]
    public async Task MetaData_DescribesEveryParameter_WithItsTypeDefaultAndDescriptions_OnStandardOutputOnly(string name)
    {
        var agent = OcfAgentKind.Find(name)!;
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await OcfAgent.RunAsync(agent, "meta-data", new OcfEnvironment(_ => null), output, error);

        code.Should().Be(OcfExitCode.Success);
        error.ToString().Should().BeEmpty();
        var root = XDocument.Parse(output.ToString()).Root!;
        root.Name.LocalName.Should().Be("resource-agent");
        root.Attribute("name")!.Value.Should().Be(name);
        root.Element("version")!.Value.Should().Be("1.1");
        root.Element("longdesc")!.Value.Should().NotBeNullOrWhiteSpace();
        var parameters = root.Element("parameters")!.Elements("parameter").ToList();
        parameters.Select(p => p.Attribute("name")!.Value).Should().Equal(agent.All.Select(p => p.Name));
        parameters.Select(p => p.Attribute("name")!.Value).Should().Contain(["region", "endpoint", "profile"]);
        foreach (var p in parameters)
        {
            p.Element("longdesc")!.Value.Should().NotBeNullOrWhiteSpace();
            p.Element("shortdesc")!.Value.Should().NotBeNullOrWhiteSpace();
            p.Element("content")!.Attribute("type")!.Value.Should().BeOneOf("string", "integer", "boolean");
            p.Element("content")!.Attribute("default").Should().NotBeNull();
        }

        root.Element("actions")!.Elements("action").Select(a => a.Attribute("name")!.Value).Should().BeEquivalentTo(["start", "stop", "monitor", "meta-data", "validate-all"]);
    }

    [Fact]
    public void Parameters_AreThoseOfTheIssue()
    {
        OcfAgentKind.Vip.All.Select(p => p.Name).Should().Contain(["ip", "vpc_id", "eni_id", "route_tables", "interface"]);
        OcfAgentKind.ElasticIp.All.Select(p => p.Name).Should().Contain(["allocation_id", "eni_id"]);
        OcfAgentKind.Dns.All.Select(p => p.Name).Should().Contain(["hosted_zone_id", "record", "address", "ttl"]);
    }

    [SkippableTheory]
    [MemberData(nameof(Agents))]
    public async Task MetaData_IsValidForTheDtdOcfTesterChecks(string name)
    {
        const string dtd = "/usr/share/resource-agents/ra-api-1.dtd";
        Skip.IfNot(File.Exists(dtd) && File.Exists("/usr/bin/xmllint"), "resource-agents' ra-api-1.dtd and xmllint are not installed (apt-get install resource-agents; .ci/run does).");
        using var output = new StringWriter();
        await OcfAgent.RunAsync(OcfAgentKind.Find(name)!, "meta-data", new OcfEnvironment(_ => null), output, TextWriter.Null);

        var info = new ProcessStartInfo("/usr/bin/xmllint", ["--noout", "--valid", "-"]) { WorkingDirectory = Path.GetDirectoryName(dtd), RedirectStandardInput = true, RedirectStandardError = true };
        using var xmllint = Process.Start(info)!;
        await xmllint.StandardInput.WriteAsync(output.ToString());
        xmllint.StandardInput.Close();
        var errors = await xmllint.StandardError.ReadToEndAsync();
        await xmllint.WaitForExitAsync();

        xmllint.ExitCode.Should().Be(0, errors);
    }
}
