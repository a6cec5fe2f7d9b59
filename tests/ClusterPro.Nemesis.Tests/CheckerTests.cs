namespace ClusterPro.Nemesis.Tests;

/// <summary>
/// The checker judges hand-made histories: each property is broken once and kept once, so a checker that stopped
/// seeing a violation (or started seeing one in a correct history) fails here, without running a cluster.
/// </summary>
public sealed class CheckerTests
{
    private static readonly Timing Timing = new();
    private static readonly ClusterShape Two = new(2, Fencing: true, Witness: false);
    private static readonly ClusterShape Three = new(3, Fencing: true, Witness: false);

    [Fact]
    public void Check_AFencedFailover_WithinTheBounds_IsClean()
    {
        // node1 dies; node2 fences it and takes over in 6 s (the bound is 9.1 s); everything healed after.
        var h = new Histories(2).For(2).Node("node1", ProcState.Killed).For(4)
            .StopInstances("node2", "node1").Node("node1", instance: "stopping").For(2)
            .Node("node1", ProcState.PoweredOff, "stopped").Event("node2", "FenceCompleted", "node1", "0 node1 is stopped").For(0.2)
            .Owners("node2", "node2", "node2", "node1", "node1").For(0.2)
            .Owner("node2").Event("node2", "GroupActivated", "failover1").For(2)
            .Node("node1", ProcState.Running, "running").Event("node1", "Started", "node1").Healed().For(5).End();

        var violations = Check(h, Schedule(Two));

        violations.Should().BeEmpty();
    }

    [Fact]
    public void Check_ResourcesOnTwoNodes_LongerThanOneActivation_IsASplit()
    {
        var h = new Histories(2).For(1).Owners("node2", "node2", "node2", "node1", "node1").For(Timing.TransitionTolerance + 0.5).Owner("node2").For(1);

        Check(h, Schedule(Two)).Should().ContainSingle(v => v.Property == "no-split" && v.Category == Violation.Safety);
    }

    [Fact]
    public void Check_ResourcesOnTwoNodes_WhileAnActivationSwitchesThem_IsNoSplit()
    {
        var h = new Histories(2).For(1).Owners("node2", "node2", "node2", "node1", "node1").For(0.3).Owner("node2").For(1);

        Check(h, Schedule(Two)).Should().NotContain(v => v.Property == "no-split");
    }

    [Fact]
    public void Check_AHealthyNodeOfTheMajority_Fenced_IsASafetyViolation()
    {
        // issue 19 defect 1: node1 is cut off from both peers and stops node3, which still hears node2.
        var h = new Histories(3).For(3).Cut("node1", "node2").Cut("node1", "node3").For(1.3).StopInstances("node1", "node3").For(1);

        var violations = Check(h, Schedule(Three));

        violations.Should().ContainSingle(v => v.Property == "healthy-node-fenced").Which.Text.Should().Contain("node1 stopped node3's instance");
    }

    [Fact]
    public void Check_TheIsolatedNode_Fenced_IsNoViolation()
    {
        var h = new Histories(3).For(3).Cut("node1", "node2").Cut("node1", "node3").For(2.5).StopInstances("node2", "node1").For(1);

        Check(h, Schedule(Three)).Should().NotContain(v => v.Property == "healthy-node-fenced");
    }

    [Fact]
    public void Check_AFrozenOwner_NeverReplaced_WhileAPeerCouldTakeOver_BreaksTheTakeoverBound()
    {
        var h = new Histories(2).For(1).Node("node1", ProcState.Paused).For(Timing.TakeoverBound(Two) + 1);

        Check(h, Schedule(Two)).Should().ContainSingle(v => v.Property == "takeover-bound" && v.Text.Contains("while node2 could take it", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_AFrozenOwner_WhenNoPeerReachesAws_IsNotLate()
    {
        var h = new Histories(2).For(1).Node("node1", ProcState.Paused).Node("node2", awsOk: false).For(Timing.TakeoverBound(Two) + 1);

        Check(h, Schedule(Two)).Should().NotContain(v => v.Property == "takeover-bound");
    }

    [Fact]
    public void Check_ACompletedFence_NotUsedForSeconds_IsALivenessViolation()
    {
        // issue 19 defect 2: node2's fence of node1 completes, and the group comes up on node2 only 3 s later.
        var h = new Histories(2).For(1).Node("node1", instance: "stopping").For(2).Node("node1", ProcState.PoweredOff, "stopped").For(0.2)
            .Event("node2", "FenceCompleted", "node1", "0 node1 is stopped").For(3).Owner("node2").For(1);

        Check(h, Schedule(Two)).Should().ContainSingle(v => v.Property == "fence-used").Which.Text.Should().Contain("the completed fence was not used");
    }

    [Fact]
    public void Check_ACompletedFence_UsedAtOnce_IsClean()
    {
        var h = new Histories(2).For(1).Node("node1", instance: "stopping").For(2).Node("node1", ProcState.PoweredOff, "stopped").For(0.2)
            .Event("node2", "FenceCompleted", "node1", "0 node1 is stopped").For(0.3).Owner("node2").For(3);

        Check(h, Schedule(Two)).Should().NotContain(v => v.Property == "fence-used");
    }

    [Fact]
    public void Check_AfterHealing_AnOwnerThatMovesAgain_IsFlapping()
    {
        var h = new Histories(2).For(1).Healed().For(1).Owner("node2").For(1).Owner("node1").For(1).End();

        Check(h, Schedule(Two)).Should().Contain(v => v.Property == "healed" && v.Text.Contains("flapping", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_AfterHealing_NobodyServing_IsALivenessViolation()
    {
        var h = new Histories(2).For(1).Owner(null).Healed().For(Timing.LivenessBound(Two) + 1).End();

        Check(h, Schedule(Two)).Should().Contain(v => v.Property == "healed" && v.Category == Violation.Liveness);
    }

    [Fact]
    public void Check_AMoveAwayFromASoundOwner_IsAFalseFailover()
    {
        var h = new Histories(2).For(Timing.FenceLookback + 1).Owner("node2").For(1);

        Check(h, Schedule(Two)).Should().ContainSingle(v => v.Property == "no-false-failover");
    }

    [Fact]
    public void Check_TwoRunningNodes_BothHolding_LongerThanTheClaimTolerance_IsASafetyViolation()
    {
        var h = new Histories(2).Event("node1", "GroupActivated", "failover1").For(1).Event("node2", "GroupActivated", "failover1").For(Timing.ClaimTolerance + 1);

        Check(h, Schedule(Two)).Should().ContainSingle(v => v.Property == "one-claimant");
    }

    [Fact]
    public void Check_TheScriptedOutcome_OnlyNode1MayBeFenced()
    {
        var h = new Histories(3).For(2).Node("node2", ProcState.Killed).For(3).StopInstances("node1", "node2").For(1).Healed().For(4).End();
        var schedule = Schedule(Three) with { Expect = new Expectation(["node1"], ["node1"]) };

        Check(h, schedule).Should().ContainSingle(v => v.Property == "expected" && v.Text.Contains("node1 stopped node2's instance", StringComparison.Ordinal));
    }

    private static Schedule Schedule(ClusterShape shape) => new("test", "a hand-made history", shape, [], HealAt: 10);

    private static IReadOnlyList<Violation> Check(Histories h, Schedule schedule) => new Checker(h.History, Timing, schedule).Check();
}
