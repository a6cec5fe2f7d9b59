using ClusterPro.Samples.Tests;

namespace ClusterPro.Samples.ConsoleHost.Tests;

/// <summary>The failover demos, as the README runs them: <c>clusterpro-emulator demo [--witness]</c>, a process of its own.</summary>
public sealed class EmulatorDemoTests
{
    [Fact]
    public async Task Demo_FailsNode1_AndEndsHealthyOnNode2()
    {
        await using var demo = ChildProcess.Start("ClusterPro.Aws.Emulator.dll", null, "demo");

        var code = await demo.WaitForExitAsync(TimeSpan.FromSeconds(120));

        code.Should().Be(0, demo.Output + demo.Error);
        demo.Output.Should().ContainAll("heartbeat lost", "NP verdict", "fence completed", "resource activated", "group activated", "awsvipw1: Normal", "failover1 is healthy on node2.");
        demo.Output.Should().Contain("app1: Succeeded", "the group holds the application, started on node2 by its exec resource")
            .And.Contain("appw1: Normal 0 GET http://127.0.0.1:")
            .And.MatchRegex(@"The client of app1 saw: \d+ requests in [0-9.]+ s, [1-9]\d* failed; longest gap without an answer [1-9]\d* ms", "the client saw the failover as a gap, and its failed requests");
    }

    [Fact]
    public async Task WitnessDemo_SplitHeartbeats_LeaveOneOwner_AndNode2TakesTheLeaseWhenNode1Dies()
    {
        await using var demo = ChildProcess.Start("ClusterPro.Aws.Emulator.dll", null, "demo", "--witness");

        var code = await demo.WaitForExitAsync(TimeSpan.FromSeconds(120));

        code.Should().Be(0, demo.Output + demo.Error);
        demo.Output.Should().ContainAll(
            "heartbeats split",
            "holders of failover1 by their own account: node1; VIP, EIP and record point at node1: True; lease of failover1: owner node1, epoch 1",
            "One owner throughout the split: True; VIP, EIP and record → node2 after node1 failed: True",
            "lease of failover1: owner node2, epoch 2");
        demo.Output.Should().NotContain("fence", "the witness demo runs without fencing");
    }

    [Fact]
    public async Task Demo_UnknownOption_Exits64_WithTheUsage()
    {
        await using var demo = ChildProcess.Start("ClusterPro.Aws.Emulator.dll", null, "demo", "--fast");

        var code = await demo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        code.Should().Be(64);
        demo.Error.Should().Contain("demo: unknown option --fast.").And.Contain("Usage: clusterpro-emulator demo [--witness]");
    }
}
