using Amazon.EC2.Model;
using BenchmarkDotNet.Attributes;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Resources;
using Microsoft.Extensions.DependencyInjection;

namespace ClusterPro.Benchmarks;

/// <summary>VIP switchover (node1 ⇄ node2) across N route tables: concurrent ReplaceRoute (8 at a time) against one at a time.</summary>
[MemoryDiagnoser]
public class VipSwitchoverBenchmarks : AwsBench
{
    private IGroupResource _vip = null!;
    private bool _onNode2;

    [Params(1, 4, 20, 50)]
    public int RouteTables { get; set; }

    /// <summary>ReplaceRoute calls in flight at once (1 = one at a time).</summary>
    [Params(8, 1)]
    public int Concurrency { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        await StartAsync(
            (b, e) => b.AddAwsVirtualIp("failover1", "awsvip1", o =>
            {
                o.Ip = e.Scenario!.Vip;
                o.VpcId = e.Scenario.VpcId;
                o.EniId = Enis(e);
                o.MaxConcurrentRouteUpdates = Concurrency;
            }),
            async e =>
            {
                var s = e.Scenario!;
                using var ec2 = e.CreateEc2Client();
                foreach (var extra in s.VipRouteTables.Skip(RouteTables))
                {
                    await ec2.DeleteRouteAsync(new DeleteRouteRequest { RouteTableId = extra, DestinationCidrBlock = s.VipCidr });
                }

                for (var i = s.VipRouteTables.Count; i < RouteTables; i++)
                {
                    var table = await ec2.CreateRouteTableAsync(new CreateRouteTableRequest { VpcId = s.VpcId });
                    await ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = table.RouteTable.RouteTableId, DestinationCidrBlock = s.VipCidr, NetworkInterfaceId = s.Node1.EniId });
                }
            });
        _vip = Services.GetRequiredKeyedService<IGroupResource>("awsvip1");
        await CountCallsAsync(nameof(Switchover), AwsCallsColumn.Key(("Concurrency", Concurrency), ("LatencyMs", LatencyMs), ("RouteTables", RouteTables)), () => Switchover());
    }

    [Benchmark]
    public async Task<ResourceResult> Switchover()
    {
        _onNode2 = !_onNode2;
        var result = await _vip.ActivateAsync(new ResourceContext(_onNode2 ? "node2" : "node1", "failover1"));
        return result.Succeeded ? result : throw new InvalidOperationException(result.ToString());
    }
}

/// <summary>EIP switchover (node1 ⇄ node2): describe, associate with re-association, verify.</summary>
[MemoryDiagnoser]
public class EipSwitchoverBenchmarks : AwsBench
{
    private IGroupResource _eip = null!;
    private bool _onNode2;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        await StartAsync((b, e) => b.AddAwsElasticIp("failover1", "awseip1", o => { o.AllocationId = e.Scenario!.EipAllocationId; o.EniId = Enis(e); }));
        _eip = Services.GetRequiredKeyedService<IGroupResource>("awseip1");
        await CountCallsAsync(nameof(Switchover), AwsCallsColumn.Key(("LatencyMs", LatencyMs)), () => Switchover());
    }

    [Benchmark]
    public async Task<ResourceResult> Switchover()
    {
        _onNode2 = !_onNode2;
        var result = await _eip.ActivateAsync(new ResourceContext(_onNode2 ? "node2" : "node1", "failover1"));
        return result.Succeeded ? result : throw new InvalidOperationException(result.ToString());
    }
}

/// <summary>DNS record upsert (node1 ⇄ node2): list the set, UPSERT it.</summary>
[MemoryDiagnoser]
public class DnsUpsertBenchmarks : AwsBench
{
    private IGroupResource _dns = null!;
    private bool _onNode2;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        await StartAsync((b, e) => b.AddAwsDns("failover1", "awsdns1", o =>
        {
            o.HostedZoneId = e.Scenario!.HostedZoneId;
            o.RecordName = e.Scenario.RecordName;
            o.Ip = new PerNode<string>().For("node1", e.Scenario.Node1.PrivateIp).For("node2", e.Scenario.Node2.PrivateIp);
        }));
        _dns = Services.GetRequiredKeyedService<IGroupResource>("awsdns1");
        await CountCallsAsync(nameof(Upsert), AwsCallsColumn.Key(("LatencyMs", LatencyMs)), () => Upsert());
    }

    [Benchmark]
    public async Task<ResourceResult> Upsert()
    {
        _onNode2 = !_onNode2;
        var result = await _dns.ActivateAsync(new ResourceContext(_onNode2 ? "node2" : "node1", "failover1"));
        return result.Succeeded ? result : throw new InvalidOperationException(result.ToString());
    }
}
