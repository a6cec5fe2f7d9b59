using System.Diagnostics.Metrics;
using ClusterPro.Groups;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace ClusterPro.Core.Tests;

public class MetricsTests
{
    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options.Name, options.Version, options.Tags, this);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }

    [Fact]
    public async Task FailoverGroup_CountsActivationsAndFailures_OnTheClusterProMeter()
    {
        using var factory = new TestMeterFactory();
        var world = new World();
        var vip = new FakeResource("vip", world);
        vip.FailNextActivations(1);
        var group = new FailoverGroup("failover1", [new GroupMember(vip, new GroupResourceOptions { Name = "vip", ActivationRetryThreshold = 1 })], meterFactory: factory);
        var meter = factory.Create(new MeterOptions("ClusterPro"));
        using var activations = new MetricCollector<long>(factory, "ClusterPro", "clusterpro.resource.activations");
        using var failures = new MetricCollector<long>(factory, "ClusterPro", "clusterpro.resource.failures");

        await group.ActivateAsync("node1");

        activations.GetMeasurementSnapshot().Select(m => m.Tags["outcome"]).Should().Equal("failed", "succeeded");
        failures.GetMeasurementSnapshot().Should().ContainSingle().Which.Tags["resource"].Should().Be("vip");
        meter.Name.Should().Be("ClusterPro");
    }
}
