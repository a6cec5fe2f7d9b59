using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Witness;
using ClusterPro.DependencyInjection;
using ClusterPro.Partition;
using Microsoft.Extensions.DependencyInjection;

namespace ClusterPro.Aws.Tests.Witness;

/// <summary>Network-partition resolution by a conditional write to the node's probe item in the witness table.</summary>
public class DynamoDbNetworkPartitionResolverTests
{
    private static DynamoDbNetworkPartitionResolver Resolver(WitnessEmulator w, string table = WitnessEmulator.Table, int maxErrorRetry = 3) =>
        new("dynamodb", "node1", w.Client(maxErrorRetry), table, WitnessEmulator.CallTimeout, w.Time);

    [Fact]
    public async Task ProbeAsync_TableReachable_IsReachable_AndWritesOnlyTheNodesProbeItem()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var resolver = Resolver(w);

        var first = await resolver.ProbeAsync();
        var second = await resolver.ProbeAsync();

        first.Should().Be(new PartitionProbeResult("dynamodb", PartitionProbeStatus.Reachable, "UpdateItem of probe:node1 in DynamoDB table 'clusterpro-witness' succeeded in 0 ms."));
        second.Status.Should().Be(PartitionProbeStatus.Reachable);
        var item = await w.ItemAsync("probe:node1");
        item.Keys.Should().BeEquivalentTo("group", "updated_by", "updated_at");
        item["updated_by"].S.Should().Be("node1");
        resolver.ProbeKey.Should().Be("probe:node1");
    }

    [Fact]
    public async Task ProbeAsync_EndpointDown_IsUnreachable()
    {
        await using var w = await WitnessEmulator.StartAsync();
        w.Emulator.Faults.EndpointDown = true;

        var probe = await Resolver(w, maxErrorRetry: 0).ProbeAsync();

        probe.Status.Should().Be(PartitionProbeStatus.Unreachable);
        probe.Detail.Should().StartWith("UpdateItem on DynamoDB table 'clusterpro-witness' gave no usable answer");
    }

    [Fact]
    public async Task ProbeAsync_Hanging_IsUnreachableAtTheCallTimeout()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var hang = w.Emulator.Faults.Hang("UpdateItem", 1);

        var probe = Resolver(w).ProbeAsync();
        await hang.Triggered.WaitAsync(TimeSpan.FromSeconds(30));
        w.Time.Advance(WitnessEmulator.CallTimeout);

        (await probe).Should().Be(new PartitionProbeResult("dynamodb", PartitionProbeStatus.Unreachable, "UpdateItem on DynamoDB table 'clusterpro-witness' gave no answer within 2 s (ClusterPro:Witness:AwsCallTimeout)."));
    }

    [Fact]
    public async Task ProbeAsync_ThrottledBeyondTheSdkRetries_IsUnreachable()
    {
        await using var w = await WitnessEmulator.StartAsync();
        w.Emulator.Faults.Throttle("UpdateItem", 2);

        var probe = await Resolver(w, maxErrorRetry: 1).ProbeAsync();

        probe.Status.Should().Be(PartitionProbeStatus.Unreachable);
        probe.Detail.Should().Contain("ThrottlingException");
    }

    [Fact]
    public async Task ProbeAsync_RefusedOrMissingTable_IsUnreachable_WithTheFix()
    {
        await using var w = await WitnessEmulator.StartAsync();
        w.Emulator.Faults.Deny("UpdateItem");

        var denied = await Resolver(w).ProbeAsync();
        w.Emulator.Faults.Clear();
        var missing = await Resolver(w, table: "no-such-table").ProbeAsync();

        denied.Status.Should().Be(PartitionProbeStatus.Unreachable);
        denied.Detail.Should().Contain("is not allowed (AccessDeniedException").And.Contain("Fix: allow");
        missing.Status.Should().Be(PartitionProbeStatus.Unreachable);
        missing.Detail.Should().Contain("the table does not exist").And.Contain("witness-init");
    }

    [Fact]
    public async Task ProbeAsync_NeverTouchesALease()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var store = w.Store();
        await store.AcquireAsync(new ClusterPro.Witness.LeaseAcquisition("probe:node1", "node2", null, "rvn-1", 1));

        var probe = await Resolver(w).ProbeAsync();

        probe.Status.Should().Be(PartitionProbeStatus.Unreachable);
        probe.Detail.Should().Contain("that item holds a lease");
        (await store.ReadAsync("probe:node1")).Record!.Owner.Should().Be("node2");
    }

    [Fact]
    public async Task ProbeAsync_CallerCancellation_Propagates()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var hang = w.Emulator.Faults.Hang("UpdateItem", 1);
        using var cts = new CancellationTokenSource();

        var probe = Resolver(w).ProbeAsync(cts.Token);
        await hang.Triggered.WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();

        await probe.Invoking(p => p).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Create_FromTheHostsServices_ProbesTheConfiguredWitnessTable()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var services = new ServiceCollection();
        services.AddSingleton<Amazon.DynamoDBv2.IAmazonDynamoDB>(w.Client());
        services.AddClusterPro(o => o.AddNode("node1").AddNode("node2")).AddDynamoDbWitness(o => o.Table = WitnessEmulator.Table);
        await using var sp = services.BuildServiceProvider();
        var bare = new ServiceCollection();
        bare.AddClusterPro(o => o.AddNode("node1"));
        await using var without = bare.BuildServiceProvider();

        var probe = await DynamoDbNetworkPartitionResolver.Create(sp, "node2").ProbeAsync();

        probe.Status.Should().Be(PartitionProbeStatus.Reachable, probe.Detail);
        probe.Resolver.Should().Be("dynamodb");
        (await w.ItemAsync("probe:node2")).Should().NotBeEmpty();
        FluentActions.Invoking(() => DynamoDbNetworkPartitionResolver.Create(without, "node1"))
            .Should().Throw<InvalidOperationException>().WithMessage("ClusterPro:Witness:Table is not set*");
    }
}
