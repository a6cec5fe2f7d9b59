using ClusterPro.Partition;

namespace ClusterPro.Core.Tests.Partition;

/// <summary>Both sides of each split are decided together: never two owners.</summary>
public class SurvivalDeciderTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(5);

    private static SurvivalDecision Decide(string self, string[] nodes, string[] visible, NetworkPartitionProbe probe, bool fencing = true, bool majority = true) =>
        SurvivalDecider.Decide(new PartitionView(self, nodes, visible, probe, majority, fencing), Delay);

    private static int Owners(params SurvivalDecision[] sides) => sides.Count(s => s.Action == SurvivalAction.TakeOver);

    [Fact]
    public void TwoNodes_AllVisible_NobodyActs()
    {
        var one = Decide("node1", ["node1", "node2"], ["node2"], NetworkPartitionProbe.Reachable);
        var two = Decide("node2", ["node1", "node2"], ["node1"], NetworkPartitionProbe.Reachable);

        one.Action.Should().Be(SurvivalAction.Stay);
        two.Action.Should().Be(SurvivalAction.Stay);
    }

    [Fact]
    public void TwoNodes_Node2Isolated_Node1TakesOver_Node2StepsDown()
    {
        var one = Decide("node1", ["node1", "node2"], [], NetworkPartitionProbe.Reachable);
        var two = Decide("node2", ["node1", "node2"], [], NetworkPartitionProbe.Unreachable);

        one.Action.Should().Be(SurvivalAction.TakeOver);
        two.Action.Should().Be(SurvivalAction.StepDown);
        Owners(one, two).Should().Be(1);
    }

    [Fact]
    public void TwoNodes_Node1Isolated_Node2TakesOver_AfterTheLowerPriorityDelay()
    {
        var one = Decide("node1", ["node1", "node2"], [], NetworkPartitionProbe.Unreachable);
        var two = Decide("node2", ["node1", "node2"], [], NetworkPartitionProbe.Reachable);

        one.Action.Should().Be(SurvivalAction.StepDown);
        two.Should().Be(new SurvivalDecision(SurvivalAction.TakeOver, true, Delay, two.Reason));
        Owners(one, two).Should().Be(1);
    }

    [Fact]
    public void TwoNodes_BothReachTheTarget_BothMustFence_AndTheMasterFencesFirst()
    {
        var one = Decide("node1", ["node1", "node2"], [], NetworkPartitionProbe.Reachable);
        var two = Decide("node2", ["node1", "node2"], [], NetworkPartitionProbe.Reachable);

        one.MustFence.Should().BeTrue();
        two.MustFence.Should().BeTrue();
        one.FenceDelay.Should().Be(TimeSpan.Zero);
        two.FenceDelay.Should().Be(Delay, "the lower-priority node waits, so the master's fence lands first and the loser's own-instance check stops it");
    }

    [Fact]
    public void TwoNodes_NeitherReachesTheTarget_BothStepDown()
    {
        var one = Decide("node1", ["node1", "node2"], [], NetworkPartitionProbe.Unreachable);
        var two = Decide("node2", ["node1", "node2"], [], NetworkPartitionProbe.Unreachable);

        Owners(one, two).Should().Be(0, "no owner is the safe side");
    }

    [Fact]
    public void TwoNodes_NoResolverConfigured_TakesOverAndSaysWhyItIsRisky()
    {
        var two = Decide("node2", ["node1", "node2"], [], NetworkPartitionProbe.NotConfigured, fencing: false);

        two.Action.Should().Be(SurvivalAction.TakeOver);
        two.MustFence.Should().BeFalse();
        two.Reason.Should().Contain("configure NP resolution and fencing");
    }

    public static TheoryData<string, string> ThreeNodeSplits => new()
    {
        { "node1,node2|node3", "node1,node2" },
        { "node1|node2,node3", "node2,node3" },
        { "node1|node2|node3", "" },
        { "node2|node1,node3", "node1,node3" },
    };

    [Theory]
    [MemberData(nameof(ThreeNodeSplits))]
    public void ThreeNodes_Majority_OnlyTheMajoritySideSurvives(string split, string survivors)
    {
        string[] nodes = ["node1", "node2", "node3"];
        var sides = split.Split('|').Select(s => s.Split(',')).ToList();

        var decisions = sides.SelectMany(side => side.Select(n => (Node: n, Decision: Decide(n, nodes, side.Where(p => p != n).ToArray(), NetworkPartitionProbe.NotConfigured)))).ToList();

        decisions.Where(d => d.Decision.Action == SurvivalAction.TakeOver).Select(d => d.Node).Should().BeEquivalentTo(survivors.Split(',', StringSplitOptions.RemoveEmptyEntries));
        sides.Count(side => side.Any(n => decisions.Single(d => d.Node == n).Decision.Action == SurvivalAction.TakeOver)).Should().BeLessThanOrEqualTo(1);
    }

    [Fact]
    public void FourNodes_Tie_TheSideWithTheMasterSurvives_TheOtherStandsBy()
    {
        string[] nodes = ["node1", "node2", "node3", "node4"];

        var a = Decide("node2", nodes, ["node1"], NetworkPartitionProbe.NotConfigured);
        var b = Decide("node3", nodes, ["node4"], NetworkPartitionProbe.NotConfigured);

        a.Action.Should().Be(SurvivalAction.TakeOver);
        b.Action.Should().Be(SurvivalAction.StandBy, "a minority that still reaches the network stays in the cluster, holding nothing, until the majority is back");
        b.MustFence.Should().BeFalse();
    }

    [Fact]
    public void ThreeNodes_MajoritySideThatCannotReachTheNpTarget_StepsDown()
    {
        var d = Decide("node1", ["node1", "node2", "node3"], ["node2"], NetworkPartitionProbe.Unreachable);

        d.Action.Should().Be(SurvivalAction.StepDown);
    }
}
