using System.Collections.Concurrent;
using System.Globalization;
using Amazon.EC2;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Host;
using ClusterPro.Aws.Testing;
using ClusterPro.DependencyInjection;
using ClusterPro.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.Benchmarks;

/// <summary>The canonical cluster on the in-process emulator, with per-call latency, composed as a host would.</summary>
public abstract class AwsBench
{
    /// <summary>Added latency per AWS call (each benchmark class sets its values with <c>[Params]</c>).</summary>
    public abstract int LatencyMs { get; set; }

    protected AwsEmulator Emulator { get; private set; } = null!;

    /// <summary>The latencies of the switchover benchmarks: 0, 20 and 200 ms, or <c>CLUSTERPRO_BENCH_LATENCIES</c> (e.g. <c>0,20</c>).</summary>
    public static IEnumerable<int> SwitchoverLatencies() =>
        Environment.GetEnvironmentVariable("CLUSTERPRO_BENCH_LATENCIES") is { Length: > 0 } list
            ? list.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))
            : [0, 20, 200];

    protected ServiceProvider Services { get; private set; } = null!;

    protected async Task StartAsync(Action<IClusterProBuilder, AwsEmulator> compose, Func<AwsEmulator, Task>? prepare = null)
    {
        Emulator = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, InstanceStopDelay = TimeSpan.Zero, InstanceForcedStopDelay = TimeSpan.Zero, Route53PropagationDelay = TimeSpan.Zero });
        if (prepare is not null)
        {
            await prepare(Emulator);
        }

        var services = new ServiceCollection();
        var config = Emulator.CreateEc2Config();
        services.AddSingleton<IAmazonEC2>(new AmazonEC2Client(Emulator.Credentials, config));
        services.Configure<ClusterProAwsOptions>(o => { o.Route53Endpoint = Emulator.Endpoint; o.Route53Credentials = Emulator.Credentials; });
        services.AddSingleton<IHostAddressManagerProvider>(new InMemoryHostAddressManager());
        compose(services.AddClusterPro(o => o.AddNode("node1").AddNode("node2")), Emulator);
        Services = services.BuildServiceProvider();
        Services.GetRequiredService<IStartupValidator>().Validate();
        if (LatencyMs > 0)
        {
            Emulator.Faults.AddLatency("*", TimeSpan.FromMilliseconds(LatencyMs));
        }
    }

    protected static PerNode<string> Enis(AwsEmulator e) => new PerNode<string>().For("node1", e.Scenario!.Node1.EniId).For("node2", e.Scenario.Node2.EniId);

    /// <summary>Runs <paramref name="operation"/> once and records how many AWS calls it made, for the "AWS calls/op" column.</summary>
    protected async Task CountCallsAsync(string benchmark, string parameters, Func<Task> operation)
    {
        Emulator.ClearCalls();
        await operation();
        AwsCallsColumn.Record(benchmark, parameters, Emulator.Calls.Count);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await Services.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}

/// <summary>
/// Round trips one operation waits for, measured: the mean time divided by the latency added to every call (shown where
/// the latency dominates, 20 ms and more).
/// </summary>
public sealed class RoundTripsColumn : IColumn
{
    public string Id => nameof(RoundTripsColumn);

    public string ColumnName => "Round trips";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Mean / LatencyMs: how many call latencies one operation waits for in sequence";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var latency = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "LatencyMs")?.Value is int ms ? ms : 0;
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return latency >= 20 && mean is { } ns ? (ns / 1e6 / latency).ToString("0.0", CultureInfo.InvariantCulture) : "-";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}

/// <summary>AWS calls one operation makes, counted by the emulator during setup.</summary>
public sealed class AwsCallsColumn : IColumn
{
    private static readonly ConcurrentDictionary<string, int> Counts = new(StringComparer.Ordinal);

    public string Id => nameof(AwsCallsColumn);

    public string ColumnName => "AWS calls/op";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "AWS API calls one operation makes (counted by the emulator)";

    public static void Record(string benchmark, string parameters, int calls) => Counts[$"{benchmark}|{parameters}"] = calls;

    public static string Key(params (string Name, object Value)[] parameters) =>
        string.Join(",", parameters.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name}={p.Value}")));

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var key = $"{benchmarkCase.Descriptor.WorkloadMethod.Name}|{Key(benchmarkCase.Parameters.Items.Select(p => (p.Name, p.Value)).ToArray())}";
        return Counts.TryGetValue(key, out var n) ? n.ToString(CultureInfo.InvariantCulture) : "-";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
