namespace ClusterPro.Nemesis.Tests;

/// <summary>A random schedule is a pure function of its seed, and the seeds cycle through every kind of cluster.</summary>
public sealed class RandomSchedulesTests
{
    [Fact]
    public void Generate_TheSameSeed_GivesTheSameSchedule()
    {
        var first = RandomSchedules.Generate(4242);
        var second = RandomSchedules.Generate(4242);

        second.Shape.Should().Be(first.Shape);
        second.Steps.Should().Equal(first.Steps);
        second.HealAt.Should().Be(first.HealAt);
        second.Replay.Should().Be("--seed 4242");
    }

    [Fact]
    public void Generate_FourConsecutiveSeeds_CoverTwoAndThreeNodes_WithAndWithoutTheWitness()
    {
        var shapes = Enumerable.Range(100, 4).Select(RandomSchedules.Generate).Select(s => (s.Shape.Nodes, s.Shape.Witness)).ToList();

        shapes.Should().BeEquivalentTo([(2, false), (3, false), (2, true), (3, true)]);
    }

    [Fact]
    public void Generate_EveryCluster_IsSafeByDesign_FencingOrAWitness_AndHealsAfterItsLastFault()
    {
        foreach (var schedule in Enumerable.Range(1, 500).Select(RandomSchedules.Generate))
        {
            (schedule.Shape.Fencing || schedule.Shape.Witness).Should().BeTrue(schedule.Name);
            schedule.Steps.Should().NotBeEmpty();
            schedule.HealAt.Should().BeGreaterThan(schedule.Steps.Max(s => s.At), schedule.Name);
            schedule.Steps.Should().NotContain(s => s.Action.Peer != null && s.Action.Peer == s.Action.Node, schedule.Name);
        }
    }
}
