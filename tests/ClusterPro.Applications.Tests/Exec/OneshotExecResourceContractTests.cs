using ClusterPro.Applications.Exec;
using ClusterPro.Resources;
using ClusterPro.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterPro.Applications.Tests.Exec;

/// <summary>The group-resource contract, kept by a one-shot exec resource: its start script writes a file, its stop script removes it.</summary>
public sealed class OneshotExecResourceContractTests : GroupResourceContractTests
{
    protected override Task<GroupResourceFixture> CreateFixtureAsync()
    {
        var scratch = new Scratch();
        var start = scratch.Script("start.sh", $"""
            if [ -f {scratch.Path("break")} ]; then rm {scratch.Path("break")}; touch {scratch.Path("half")}; echo "cannot start" >&2; exit 5; fi
            touch {scratch.Path("applied")}
            """);
        var stop = scratch.Script("stop.sh", $"rm -f {scratch.Path("applied")} {scratch.Path("half")}");
        var resource = new ExecResource("app1", new ExecResourceOptions { Start = [start], Stop = [stop] }, TimeProvider.System, NullLogger.Instance);
        return Task.FromResult(new GroupResourceFixture(
            resource,
            new ResourceContext("node1", "failover1"),
            () => Task.FromResult(File.Exists(scratch.Path("applied")) || File.Exists(scratch.Path("half"))),
            () =>
            {
                File.WriteAllText(scratch.Path("break"), string.Empty);
                return Task.CompletedTask;
            },
            () =>
            {
                scratch.Dispose();
                return ValueTask.CompletedTask;
            }));
    }
}
