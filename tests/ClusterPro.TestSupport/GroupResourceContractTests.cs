using ClusterPro.Resources;
using FluentAssertions;
using Xunit;

namespace ClusterPro.TestSupport;

/// <summary>A resource under test, with ways to observe and disturb the world it acts on.</summary>
/// <param name="Resource">The resource.</param>
/// <param name="Context">Where it runs.</param>
/// <param name="IsAppliedAsync">Reads the world: is the resource's effect in place for this node?</param>
/// <param name="BreakNextActivationAsync">Makes the next activation fail part-way (a fault, a deny, a bad ID).</param>
/// <param name="DisposeAsync">Cleans up (may be null).</param>
public sealed record GroupResourceFixture(
    IGroupResource Resource,
    ResourceContext Context,
    Func<Task<bool>> IsAppliedAsync,
    Func<Task> BreakNextActivationAsync,
    Func<ValueTask>? DisposeAsync = null);

/// <summary>
/// The contract every <see cref="IGroupResource"/> keeps. Each resource's test class inherits this and
/// supplies a fixture; the facts here then run against that resource.
/// </summary>
public abstract class GroupResourceContractTests
{
    /// <summary>Creates a fresh resource and world for one test.</summary>
    /// <returns>The fixture.</returns>
    protected abstract Task<GroupResourceFixture> CreateFixtureAsync();

    [Fact]
    public async Task Contract_ActivateTwice_SecondSucceedsAndChangesNothing()
    {
        var f = await CreateFixtureAsync();
        try
        {
            var first = await f.Resource.ActivateAsync(f.Context);
            first.Succeeded.Should().BeTrue(first.ToString());
            first.Changes.Should().NotBeEmpty("the first activation changes the world");
            (await f.IsAppliedAsync()).Should().BeTrue();

            var second = await f.Resource.ActivateAsync(f.Context);
            second.Succeeded.Should().BeTrue(second.ToString());
            second.Changes.Should().BeEmpty("activation is idempotent");
            (await f.IsAppliedAsync()).Should().BeTrue();
        }
        finally
        {
            await DisposeAsync(f);
        }
    }

    [Fact]
    public async Task Contract_DeactivateAfterFailedActivate_SucceedsAndLeavesNothingApplied()
    {
        var f = await CreateFixtureAsync();
        try
        {
            await f.BreakNextActivationAsync();
            var failed = await f.Resource.ActivateAsync(f.Context);
            failed.Succeeded.Should().BeFalse();
            failed.Code.Should().NotBe(ResultCodes.Success);
            failed.Message.Should().NotBeNullOrWhiteSpace();

            var down = await f.Resource.DeactivateAsync(f.Context);
            down.Succeeded.Should().BeTrue(down.ToString());
            (await f.IsAppliedAsync()).Should().BeFalse();
        }
        finally
        {
            await DisposeAsync(f);
        }
    }

    [Fact]
    public async Task Contract_DeactivateTwice_BothSucceed()
    {
        var f = await CreateFixtureAsync();
        try
        {
            (await f.Resource.ActivateAsync(f.Context)).Succeeded.Should().BeTrue();
            var first = await f.Resource.DeactivateAsync(f.Context);
            first.Succeeded.Should().BeTrue(first.ToString());
            (await f.IsAppliedAsync()).Should().BeFalse();
            var second = await f.Resource.DeactivateAsync(f.Context);
            second.Succeeded.Should().BeTrue(second.ToString());
            second.Changes.Should().BeEmpty("deactivation is idempotent");
        }
        finally
        {
            await DisposeAsync(f);
        }
    }

    [Fact]
    public async Task Contract_ActivateWithCancelledToken_ThrowsAndAppliesNothing()
    {
        var f = await CreateFixtureAsync();
        try
        {
            using var cts = new CancellationTokenSource();
            await cts.CancelAsync();
            var act = () => f.Resource.ActivateAsync(f.Context, cts.Token);
            await act.Should().ThrowAsync<OperationCanceledException>();
            (await f.IsAppliedAsync()).Should().BeFalse();
        }
        finally
        {
            await DisposeAsync(f);
        }
    }

    private static async Task DisposeAsync(GroupResourceFixture f)
    {
        if (f.DisposeAsync is not null)
        {
            await f.DisposeAsync();
        }
    }
}
