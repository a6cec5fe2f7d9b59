using ClusterPro.Resources;
using ClusterPro.TestSupport;

namespace ClusterPro.Core.Tests.Resources;

/// <summary>Runs the shared IGroupResource contract against a delegate resource over an in-memory world.</summary>
public class DelegateGroupResourceContractTests : GroupResourceContractTests
{
    protected override Task<GroupResourceFixture> CreateFixtureAsync()
    {
        string? owner = null;
        var breakNext = false;
        var resource = new DelegateGroupResource(
            "mem1",
            (ctx, ct) =>
            {
                ct.ThrowIfCancellationRequested();
                if (breakNext)
                {
                    breakNext = false;
                    return Task.FromResult(ResourceResult.Failure(50, "Failed in the AWS API call."));
                }

                if (owner == ctx.NodeName)
                {
                    return Task.FromResult(ResourceResult.Unchanged());
                }

                owner = ctx.NodeName;
                return Task.FromResult(ResourceResult.Success([$"owner -> {ctx.NodeName}"]));
            },
            (ctx, ct) =>
            {
                ct.ThrowIfCancellationRequested();
                if (owner != ctx.NodeName)
                {
                    return Task.FromResult(ResourceResult.Unchanged());
                }

                owner = null;
                return Task.FromResult(ResourceResult.Success(["owner -> none"]));
            });
        return Task.FromResult(new GroupResourceFixture(
            resource,
            new ResourceContext("node1", "failover1"),
            () => Task.FromResult(owner == "node1"),
            () =>
            {
                breakNext = true;
                return Task.CompletedTask;
            }));
    }
}
