using ClusterPro.Applications.Systemd;
using ClusterPro.Resources;
using ClusterPro.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterPro.Applications.Tests.Systemd;

/// <summary>The group-resource contract, kept by the systemd resource against a fake systemctl (see <see cref="FakeSystemctl"/>).</summary>
public sealed class SystemdResourceContractTests : GroupResourceContractTests
{
    protected override Task<GroupResourceFixture> CreateFixtureAsync()
    {
        var systemctl = new FakeSystemctl();
        var resource = new SystemdResource("web1", new SystemdResourceOptions { Unit = "nginx.service", Systemctl = systemctl.Path, PollInterval = TimeSpan.FromMilliseconds(50) }, TimeProvider.System, NullLogger.Instance);
        return Task.FromResult(new GroupResourceFixture(
            resource,
            new ResourceContext("node1", "failover1"),
            () => Task.FromResult(systemctl.State("nginx.service") is "active" or "activating"),
            () =>
            {
                systemctl.Mark("nginx.service", "fail");
                return Task.CompletedTask;
            },
            () =>
            {
                systemctl.Dispose();
                return ValueTask.CompletedTask;
            }));
    }
}
