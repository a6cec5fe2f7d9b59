using BenchmarkDotNet.Attributes;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using Microsoft.Extensions.DependencyInjection;

namespace ClusterPro.Benchmarks;

/// <summary>One check of each monitor on node1, with its group active there (DNS name resolution through the emulator's DNS).</summary>
[MemoryDiagnoser]
public class MonitorCycleBenchmarks : AwsBench
{
    private IMonitorResource _monitor = null!;

    /// <inheritdoc />
    [Params(0, 20)]
    public override int LatencyMs { get; set; }

    [Params("awsvipw1", "awseipw1", "awsdnsw1", "awsazw1")]
    public string Monitor { get; set; } = "awsvipw1";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        await StartAsync((b, e) =>
        {
            var s = e.Scenario!;
            b.AddAwsVirtualIp("failover1", "awsvip1", o => { o.Ip = s.Vip; o.VpcId = s.VpcId; o.EniId = Enis(e); })
                .AddAwsElasticIp("failover1", "awseip1", o => { o.AllocationId = s.EipAllocationId; o.EniId = Enis(e); })
                .AddAwsDns("failover1", "awsdns1", o =>
                {
                    o.HostedZoneId = s.HostedZoneId;
                    o.RecordName = s.RecordName;
                    o.Ip = new PerNode<string>().For("node1", s.Node1.PrivateIp).For("node2", s.Node2.PrivateIp);
                    o.NameServers.Add(e.DnsEndpoint!.ToString());
                })
                .AddAwsAzMonitor("awsazw1", o => o.AvailabilityZone = new PerNode<string>().For("node1", s.Node1.AvailabilityZone).For("node2", s.Node2.AvailabilityZone));
        });
        foreach (var resource in new[] { "awsvip1", "awseip1", "awsdns1" })
        {
            await Services.GetRequiredKeyedService<IGroupResource>(resource).ActivateAsync(new ResourceContext("node1", "failover1"));
        }

        _monitor = Services.GetRequiredKeyedService<IMonitorResource>(Monitor);
        await CountCallsAsync(nameof(Check), AwsCallsColumn.Key(("LatencyMs", LatencyMs), ("Monitor", Monitor)), () => Check());
    }

    [Benchmark]
    public async Task<MonitorResult> Check()
    {
        var result = await _monitor.CheckAsync(new MonitorContext("node1", Monitor));
        return result.Status == MonitorStatus.Normal ? result : throw new InvalidOperationException(result.ToString());
    }
}
