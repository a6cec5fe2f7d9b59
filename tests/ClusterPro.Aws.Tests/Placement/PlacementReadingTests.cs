using ClusterPro.Aws.Placement;

namespace ClusterPro.Aws.Tests.Placement;

/// <summary>The pure judgement of a resource's placement from the targets it read: one node, nowhere, or drifted.</summary>
public class PlacementReadingTests
{
    private static readonly string[] Nodes = ["node1", "node2"];
    private static readonly Dictionary<string, string> Enis = new(StringComparer.Ordinal) { ["node1"] = "eni-1", ["node2"] = "eni-2" };

    private static AwsPlacementTarget Table(string table, string? eni) => new(table, eni, PlacementReading.NodeOf(Nodes, n => Enis[n], eni));

    [Fact]
    public void From_EveryTableAtOneNodesEni_IsThatNode()
    {
        var placement = PlacementReading.From("awsvip1", "awsvip", [Table("rtb-a", "eni-1"), Table("rtb-b", "ENI-1")]);

        placement.State.Should().Be(AwsPlacementState.Node);
        placement.Node.Should().Be("node1");
        placement.Detail.Should().Be("rtb-a -> eni-1 (node1); rtb-b -> ENI-1 (node1)");
    }

    [Fact]
    public void From_TablesAtTwoNodes_IsDrifted_WithoutANode()
    {
        var placement = PlacementReading.From("awsvip1", "awsvip", [Table("rtb-a", "eni-1"), Table("rtb-b", "eni-2")]);

        placement.State.Should().Be(AwsPlacementState.Drifted);
        placement.Node.Should().BeNull();
        placement.Detail.Should().Contain("rtb-b -> eni-2 (node2)");
    }

    [Fact]
    public void From_ATargetNoNodeHas_IsDrifted_AndSaysSo()
    {
        var placement = PlacementReading.From("awseip1", "awseip", [Table("eipalloc-1", "eni-9")]);

        placement.State.Should().Be(AwsPlacementState.Drifted);
        placement.Detail.Should().Be("eipalloc-1 -> eni-9 (no configured node)");
    }

    [Fact]
    public void From_OneTableWithoutTarget_BesideANodesTables_IsDrifted()
    {
        var placement = PlacementReading.From("awsvip1", "awsvip", [Table("rtb-a", "eni-1"), Table("rtb-b", null)]);

        placement.State.Should().Be(AwsPlacementState.Drifted);
    }

    [Fact]
    public void From_NothingTargeted_IsNone()
    {
        PlacementReading.From("awseip1", "awseip", [Table("eipalloc-1", null)]).State.Should().Be(AwsPlacementState.None);
        PlacementReading.From("awsvip1", "awsvip", []).Should().Match<AwsResourcePlacement>(p => p.State == AwsPlacementState.None && p.Detail == "no target in AWS");
    }
}
