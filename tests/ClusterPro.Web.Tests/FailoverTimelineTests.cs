using ClusterPro.DependencyInjection;
using ClusterPro.Failover;
using ClusterPro.Groups;
using ClusterPro.Samples.ConsoleHost.Web;

namespace ClusterPro.Web.Tests;

/// <summary>The timeline's episodes, built from nodes' events as a running cluster records them.</summary>
public sealed class FailoverTimelineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Build_AFailover_StartsAtTheLostPeersLastHeartbeat_AndListsEveryStepInOrder()
    {
        var events = new[]
        {
            E(0, "node2", FailoverEventKind.Started, "node2"),
            E(5_000, "node2", FailoverEventKind.HeartbeatLost, "node1", ok: false),
            E(5_020, "node2", FailoverEventKind.PartitionVerdict, "node1"),
            E(6_000, "node2", FailoverEventKind.FenceStarted, "node1"),
            E(8_000, "node2", FailoverEventKind.FenceCompleted, "node1"),
            E(8_050, "node2", FailoverEventKind.ResourceActivated, "awsvip1"),
            E(8_060, "node2", FailoverEventKind.ResourceActivated, "awseip1"),
            E(8_100, "node2", FailoverEventKind.ResourceActivated, "other-groups-resource"),
            E(8_120, "node2", FailoverEventKind.GroupActivated, "failover1"),
        };

        var episode = FailoverTimeline.Build(events, Options()).Should().ContainSingle().Subject;

        episode.Kind.Should().Be("failover");
        episode.From.Should().Be("node1");
        episode.Node.Should().Be("node2");
        episode.StartedAt.Should().Be(T0.AddMilliseconds(2_000), "a heartbeat timeout (3 s) before the loss was declared");
        episode.RecoveryMs.Should().Be(6_120);
        episode.Steps.Select(s => s.Kind).Should().Equal("LastHeartbeat", "HeartbeatLost", "PartitionVerdict", "FenceStarted", "FenceCompleted", "ResourceActivated", "ResourceActivated", "GroupActivated");
        episode.Steps.Select(s => s.OffsetMs).Should().Equal(0, 3_000, 3_020, 4_000, 6_000, 6_050, 6_060, 6_120);
        episode.Steps.Select(s => s.DurationMs).Should().Equal(0, 3_000, 20, 980, 2_000, 50, 10, 60);
    }

    [Fact]
    public void Build_AnOperatorMove_StartsAtTheHandOff_AndHasTheReleaseOnTheOldHolder()
    {
        var events = new[]
        {
            E(0, "node1", FailoverEventKind.Started, "node1"),
            E(3_000, "node1", FailoverEventKind.ResourceActivated, "awsvip1"),
            E(3_100, "node1", FailoverEventKind.GroupActivated, "failover1"),
            E(9_000, "node1", FailoverEventKind.GroupHandedOff, "failover1", "node1 releases failover1 for node2 (operator move)."),
            E(9_080, "node1", FailoverEventKind.ResourceDeactivated, "awsvip1"),
            E(9_100, "node1", FailoverEventKind.GroupDeactivated, "failover1"),
            E(9_110, "node2", FailoverEventKind.GroupHandedOff, "failover1", "node1 handed failover1 to node2."),
            E(9_300, "node2", FailoverEventKind.ResourceActivated, "awsvip1"),
            E(9_310, "node2", FailoverEventKind.GroupActivated, "failover1"),
        };

        var timeline = FailoverTimeline.Build(events, Options());

        timeline.Select(e => e.Kind).Should().Equal("move", "start");
        var move = timeline[0];
        (move.From, move.Node, move.RecoveryMs).Should().Be(("node1", "node2", 310));
        move.Steps.Select(s => $"{s.Node} {s.Kind}").Should().Equal(
            "node1 GroupHandedOff", "node1 ResourceDeactivated", "node1 GroupDeactivated", "node2 GroupHandedOff", "node2 ResourceActivated", "node2 GroupActivated");
        var start = timeline[1];
        (start.Node, start.RecoveryMs).Should().Be(("node1", 3_100));
        start.Steps.Select(s => s.Kind).Should().Equal("Started", "ResourceActivated", "GroupActivated");
    }

    [Fact]
    public void Build_KeepsTheNewestEpisodes_NewestFirst()
    {
        var events = Enumerable.Range(0, 10).Select(i => E(i * 1_000, "node1", FailoverEventKind.GroupActivated, "failover1")).ToList();

        var timeline = FailoverTimeline.Build(events, Options());

        timeline.Should().HaveCount(FailoverTimeline.Kept);
        timeline[0].EndedAt.Should().Be(T0.AddMilliseconds(9_000));
        timeline.Should().BeInDescendingOrder(e => e.EndedAt);
    }

    private static ClusterProOptions Options()
    {
        var options = new ClusterProOptions();
        options.Heartbeat.Timeout = TimeSpan.FromSeconds(3);
        var group = new GroupOptions();
        group.Resources.Add(new GroupResourceOptions { Name = "awsvip1" });
        group.Resources.Add(new GroupResourceOptions { Name = "awseip1" });
        options.Groups["failover1"] = group;
        return options;
    }

    private static FailoverEvent E(int ms, string node, FailoverEventKind kind, string subject, string detail = "", bool ok = true) =>
        new(T0.AddMilliseconds(ms), node, kind, subject, detail, ok);
}
