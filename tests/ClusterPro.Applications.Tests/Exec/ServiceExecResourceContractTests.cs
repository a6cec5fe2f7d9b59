using ClusterPro.Applications.Exec;
using ClusterPro.Resources;
using ClusterPro.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterPro.Applications.Tests.Exec;

/// <summary>The group-resource contract, kept by an exec resource in service mode: the applied state is "the service process runs".</summary>
public sealed class ServiceExecResourceContractTests : GroupResourceContractTests
{
    protected override Task<GroupResourceFixture> CreateFixtureAsync()
    {
        var scratch = new Scratch();
        var service = scratch.Script("service.sh", $"""
            if [ -f {scratch.Path("break")} ]; then rm {scratch.Path("break")}; echo "port in use" >&2; exit 3; fi
            exec sleep 300
            """);
        var resource = new ExecResource("app1", new ExecResourceOptions { Start = [service], Mode = ExecMode.Service, StopTimeout = TimeSpan.FromSeconds(10) }, TimeProvider.System, NullLogger.Instance);
        return Task.FromResult(new GroupResourceFixture(
            resource,
            new ResourceContext("node1", "failover1"),
            () => Task.FromResult(resource.ServiceStatus("node1").Running),
            () =>
            {
                File.WriteAllText(scratch.Path("break"), string.Empty);
                return Task.CompletedTask;
            },
            async () =>
            {
                await resource.DeactivateAsync(new ResourceContext("node1", "failover1"));
                scratch.Dispose();
            }));
    }
}
