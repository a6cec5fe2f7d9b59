using Amazon.EC2;
using Amazon.EC2.Model;
using BenchmarkDotNet.Attributes;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Resources;
using Microsoft.Extensions.DependencyInjection;

namespace ClusterPro.Benchmarks;

/// <summary>
/// VIP switchover (node1 ⇄ node2) across N route tables. <see cref="ClusterPro"/> is the product: one
/// DescribeRouteTables, then every ReplaceRoute at once (two round trips). The baseline works the way the Pacemaker
/// <c>aws-vpc-move-ip</c> agent's start does, one table at a time: describe each table (its monitor), replace each
/// route, describe each table again (its monitor after the move): 3 × N round trips. (The agent also sleeps 1 s after
/// each table's call; the baseline leaves that out, in its favour.)
/// </summary>
[MemoryDiagnoser]
public class VipSwitchoverBenchmarks : AwsBench
{
    private IGroupResource _vip = null!;
    private IAmazonEC2 _ec2 = null!;
    private List<string> _tables = [];
    private bool _onNode2;

    /// <inheritdoc />
    [ParamsSource(nameof(SwitchoverLatencies))]
    public override int LatencyMs { get; set; }

    [Params(1, 4, 20, 50)]
    public int RouteTables { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        await StartAsync(
            (b, e) => b.AddAwsVirtualIp("failover1", "awsvip1", o =>
            {
                o.Ip = e.Scenario!.Vip;
                o.VpcId = e.Scenario.VpcId;
                o.EniId = Enis(e);
            }),
            async e =>
            {
                var s = e.Scenario!;
                using var ec2 = e.CreateEc2Client();
                foreach (var extra in s.VipRouteTables.Skip(RouteTables))
                {
                    await ec2.DeleteRouteAsync(new DeleteRouteRequest { RouteTableId = extra, DestinationCidrBlock = s.VipCidr });
                }

                _tables = s.VipRouteTables.Take(RouteTables).ToList();
                for (var i = s.VipRouteTables.Count; i < RouteTables; i++)
                {
                    var table = await ec2.CreateRouteTableAsync(new CreateRouteTableRequest { VpcId = s.VpcId });
                    await ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = table.RouteTable.RouteTableId, DestinationCidrBlock = s.VipCidr, NetworkInterfaceId = s.Node1.EniId });
                    _tables.Add(table.RouteTable.RouteTableId);
                }
            });
        _vip = Services.GetRequiredKeyedService<IGroupResource>("awsvip1");
        _ec2 = Services.GetRequiredService<IAmazonEC2>();

        // The first activation of a process also checks the VPC CIDR; measure the switchovers after it.
        await ClusterPro();
        await CountCallsAsync(nameof(ClusterPro), AwsCallsColumn.Key(("LatencyMs", LatencyMs), ("RouteTables", RouteTables)), () => ClusterPro());
        await CountCallsAsync(nameof(SequentialLikeAwsVpcMoveIp), AwsCallsColumn.Key(("LatencyMs", LatencyMs), ("RouteTables", RouteTables)), () => SequentialLikeAwsVpcMoveIp());
    }

    [Benchmark(Baseline = true)]
    public async Task<int> SequentialLikeAwsVpcMoveIp()
    {
        _onNode2 = !_onNode2;
        var s = Emulator.Scenario!;
        var eni = _onNode2 ? s.Node2.EniId : s.Node1.EniId;
        var wrong = 0;
        foreach (var table in _tables)
        {
            wrong += await TargetAsync(table) == eni ? 0 : 1;
        }

        foreach (var table in _tables)
        {
            await _ec2.ReplaceRouteAsync(new ReplaceRouteRequest { RouteTableId = table, DestinationCidrBlock = s.VipCidr, NetworkInterfaceId = eni });
        }

        foreach (var table in _tables)
        {
            if (await TargetAsync(table) != eni)
            {
                throw new InvalidOperationException($"{table} does not point at {eni}.");
            }
        }

        return wrong;
    }

    [Benchmark]
    public async Task<ResourceResult> ClusterPro()
    {
        _onNode2 = !_onNode2;
        var result = await _vip.ActivateAsync(new ResourceContext(_onNode2 ? "node2" : "node1", "failover1"));
        return result.Succeeded ? result : throw new InvalidOperationException(result.ToString());
    }

    private async Task<string?> TargetAsync(string table)
    {
        var response = await _ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { RouteTableIds = [table] });
        return response.RouteTables?.SingleOrDefault()?.Routes?.FirstOrDefault(r => r.DestinationCidrBlock == Emulator.Scenario!.VipCidr)?.NetworkInterfaceId;
    }
}

/// <summary>EIP switchover (node1 ⇄ node2): one AssociateAddress with re-association.</summary>
[MemoryDiagnoser]
public class EipSwitchoverBenchmarks : AwsBench
{
    private IGroupResource _eip = null!;
    private bool _onNode2;

    /// <inheritdoc />
    [ParamsSource(nameof(SwitchoverLatencies))]
    public override int LatencyMs { get; set; }

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

/// <summary>DNS record switchover (node1 ⇄ node2): one UPSERT.</summary>
[MemoryDiagnoser]
public class DnsUpsertBenchmarks : AwsBench
{
    private IGroupResource _dns = null!;
    private bool _onNode2;

    /// <inheritdoc />
    [ParamsSource(nameof(SwitchoverLatencies))]
    public override int LatencyMs { get; set; }

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
