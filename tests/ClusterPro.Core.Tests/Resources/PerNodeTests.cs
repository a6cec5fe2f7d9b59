using ClusterPro.Resources;
using Microsoft.Extensions.Configuration;

namespace ClusterPro.Core.Tests.Resources;

public class PerNodeTests
{
    private sealed class Settings
    {
        public PerNode<string> VpcId { get; set; } = new();

        public PerNode<string> EniId { get; set; } = new();
    }

    [Fact]
    public void Resolve_OverrideWins_OtherwiseCommon()
    {
        var setting = new PerNode<string>("vpc-common").For("node2", "vpc-2");

        setting.Resolve("node1").Should().Be("vpc-common");
        setting.Resolve("node2").Should().Be("vpc-2");
        setting.Resolve("NODE2").Should().Be("vpc-2", "node names compare case-insensitively");
    }

    [Fact]
    public void Resolve_NeitherSet_IsNull() =>
        new PerNode<string>().Resolve("node1").Should().BeNull();

    [Fact]
    public void Validate_RequiredValueMissingForANode_NamesTheNodeAndTheSetting()
    {
        var errors = new List<string>();
        var eni = new PerNode<string>().For("node1", "eni-1");

        PerNodeSetting.Validate(eni, "ClusterPro:Resources:awsvip1:EniId", ["node1", "node2"], required: true, errors);

        errors.Should().ContainSingle().Which.Should().Be(
            "ClusterPro:Resources:awsvip1:EniId has no value for node 'node2'; set a common value (ClusterPro:Resources:awsvip1:EniId) or a per-node value (ClusterPro:Resources:awsvip1:EniId:Nodes:node2).");
    }

    [Fact]
    public void Validate_OverrideForUnknownNode_IsAnError()
    {
        var errors = new List<string>();

        PerNodeSetting.Validate(new PerNode<string>("x").For("node3", "y"), "S", ["node1", "node2"], required: false, errors);

        errors.Should().ContainSingle().Which.Should().Contain("'node3', which is not a cluster node");
    }

    [Fact]
    public void Validate_CommonValueCoversEveryNode()
    {
        var errors = new List<string>();

        PerNodeSetting.Validate(new PerNode<string>("vpc-1"), "S", ["node1", "node2"], required: true, errors);

        errors.Should().BeEmpty();
    }

    [Fact]
    public void Bind_PlainValueAndObjectForms()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VpcId"] = "vpc-0abc",
            ["EniId:Nodes:node1"] = "eni-1",
            ["EniId:Nodes:node2"] = "eni-2",
        }).Build();

        var settings = config.Get<Settings>()!;

        settings.VpcId.Resolve("node2").Should().Be("vpc-0abc");
        settings.EniId.Resolve("node1").Should().Be("eni-1");
        settings.EniId.Resolve("node2").Should().Be("eni-2");
        settings.EniId.Common.Should().BeNull();
    }
}
