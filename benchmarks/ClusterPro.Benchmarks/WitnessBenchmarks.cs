using System.Globalization;
using Amazon.DynamoDBv2;
using BenchmarkDotNet.Attributes;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Witness;
using ClusterPro.Witness;
using Microsoft.Extensions.DependencyInjection;

namespace ClusterPro.Benchmarks;

/// <summary>
/// The DynamoDB witness: one conditional write or consistent read per operation, composed as a host would
/// (<c>AddDynamoDbWitness</c>, the store from DI over the real SDK). <c>AcquireNew</c> takes a group no one held
/// (<c>attribute_not_exists</c>), <c>AcquireTakeover</c> takes a lease over at the record version last seen (what a node
/// does once it has judged a lease expired), <c>Renew</c> is the owner's heartbeat, <c>Read</c> a consistent read.
/// </summary>
[MemoryDiagnoser]
public class WitnessBenchmarks : AwsBench
{
    private const string Table = "clusterpro-witness";
    private IGroupLeaseStore _store = null!;
    private string _rvn = "rvn-0";
    private long _epoch = 1;
    private int _n;

    /// <inheritdoc />
    [Params(0, 20)]
    public override int LatencyMs { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        await StartAsync(
            (b, e) =>
            {
                b.Services.AddSingleton<IAmazonDynamoDB>(new AmazonDynamoDBClient(e.Credentials, e.CreateDynamoDbConfig()));
                b.AddDynamoDbWitness(o => o.Table = Table);
            },
            async e =>
            {
                using var db = e.CreateDynamoDbClient();
                var setup = await DynamoDbWitnessTable.EnsureAsync(db, Table);
                if (!setup.Succeeded)
                {
                    throw new InvalidOperationException(setup.Detail);
                }
            });
        _store = Services.GetRequiredService<IGroupLeaseStore>();
        Expect(await _store.AcquireAsync(new LeaseAcquisition("failover1", "node1", null, _rvn, _epoch)));
        var parameters = AwsCallsColumn.Key(("LatencyMs", LatencyMs));
        await CountCallsAsync(nameof(AcquireNew), parameters, AcquireNew);
        await CountCallsAsync(nameof(AcquireTakeover), parameters, AcquireTakeover);
        await CountCallsAsync(nameof(Renew), parameters, Renew);
        await CountCallsAsync(nameof(Read), parameters, Read);
    }

    [Benchmark]
    public async Task AcquireNew() =>
        Expect(await _store.AcquireAsync(new LeaseAcquisition(string.Create(CultureInfo.InvariantCulture, $"group{++_n}"), "node1", null, "rvn-1", 1)));

    [Benchmark]
    public async Task AcquireTakeover()
    {
        var next = NextRecordVersion();
        Expect(await _store.AcquireAsync(new LeaseAcquisition("failover1", "node1", _rvn, next, _epoch + 1)));
        _rvn = next;
        _epoch++;
    }

    [Benchmark(Baseline = true)]
    public async Task Renew()
    {
        var next = NextRecordVersion();
        Expect(await _store.RenewAsync("failover1", "node1", _epoch, next));
        _rvn = next;
    }

    [Benchmark]
    public async Task Read()
    {
        var read = await _store.ReadAsync("failover1");
        if (read.Record?.RecordVersion != _rvn)
        {
            throw new InvalidOperationException(read.Detail);
        }
    }

    private string NextRecordVersion() => string.Create(CultureInfo.InvariantCulture, $"rvn-{++_n}");

    private static void Expect(LeaseWrite write)
    {
        if (write.Outcome != LeaseOutcome.Held)
        {
            throw new InvalidOperationException(write.Detail);
        }
    }
}
