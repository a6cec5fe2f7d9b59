using System.Collections.Concurrent;
using ClusterPro.Failover;
using ClusterPro.Monitoring;
using ClusterPro.Resources;

namespace ClusterPro.Core.Tests;

/// <summary>An in-memory world: which resources are applied on which node, and a log of calls in order.</summary>
internal sealed class World
{
    public ConcurrentDictionary<string, string> Applied { get; } = new();

    public ConcurrentQueue<string> Calls { get; } = new();
}

/// <summary>A group resource over <see cref="World"/> whose failures and hangs are scripted.</summary>
internal sealed class FakeResource(string name, World world) : IGroupResource
{
    private int _activationFailures;
    private int _deactivationFailures;

    public string Name { get; } = name;

    public bool HangOnActivate { get; set; }

    public Exception? ThrowOnActivate { get; set; }

    public int ActivateCalls { get; private set; }

    public int DeactivateCalls { get; private set; }

    public void FailNextActivations(int count) => _activationFailures = count;

    public void FailNextDeactivations(int count) => _deactivationFailures = count;

    public async Task<ResourceResult> ActivateAsync(ResourceContext context, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ActivateCalls++;
        world.Calls.Enqueue($"activate {Name}");
        if (HangOnActivate)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }

        if (ThrowOnActivate is not null)
        {
            throw ThrowOnActivate;
        }

        if (_activationFailures > 0)
        {
            _activationFailures--;
            return ResourceResult.Failure(50, $"Failed in the AWS API call. ({Name})");
        }

        if (world.Applied.TryGetValue(Name, out var node) && node == context.NodeName)
        {
            return ResourceResult.Unchanged();
        }

        world.Applied[Name] = context.NodeName;
        return ResourceResult.Success([$"{Name} -> {context.NodeName}"]);
    }

    public Task<ResourceResult> DeactivateAsync(ResourceContext context, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        DeactivateCalls++;
        world.Calls.Enqueue($"deactivate {Name}");
        if (_deactivationFailures > 0)
        {
            _deactivationFailures--;
            return Task.FromResult(ResourceResult.Failure(50, $"Failed in the AWS API call. ({Name})"));
        }

        return Task.FromResult(world.Applied.TryRemove(Name, out _)
            ? ResourceResult.Success([$"{Name} removed from {context.NodeName}"])
            : ResourceResult.Unchanged());
    }
}

/// <summary>Records final actions handed to the host.</summary>
internal sealed class RecordingFinalActions : IFinalActionHandler
{
    public List<FinalActionRequest> Requests { get; } = [];

    public Task ExecuteAsync(FinalActionRequest request, CancellationToken cancellationToken = default)
    {
        Requests.Add(request);
        return Task.CompletedTask;
    }
}

/// <summary>Records the recovery steps a monitor asks for.</summary>
internal sealed class RecordingRecoveryActions : IRecoveryActions
{
    public bool TargetActive { get; set; } = true;

    public bool IsAnyOtherNodeHealthy { get; set; } = true;

    public List<string> Steps { get; } = [];

    public List<FinalActionRequest> FinalActions { get; } = [];

    public bool IsActive(RecoveryTarget target) => TargetActive;

    public bool IsResourceActive(string resourceName) => TargetActive;

    public Task<bool> ReactivateAsync(RecoveryTarget target, CancellationToken cancellationToken = default)
    {
        Steps.Add($"reactivate {target.Name}");
        return Task.FromResult(true);
    }

    public Task<bool> RequestFailoverAsync(RecoveryTarget target, CancellationToken cancellationToken = default)
    {
        Steps.Add($"failover {target.Name}");
        return Task.FromResult(true);
    }

    public Task ExecuteFinalActionAsync(FinalActionRequest request, CancellationToken cancellationToken = default)
    {
        Steps.Add($"final {request.Action}");
        FinalActions.Add(request);
        return Task.CompletedTask;
    }
}

/// <summary>A monitor whose next results are scripted.</summary>
internal sealed class ScriptedMonitor(string name) : IMonitorResource
{
    private readonly Queue<Func<CancellationToken, Task<MonitorResult>>> _script = new();

    public string Name { get; } = name;

    public int Calls { get; private set; }

    public Func<CancellationToken, Task<MonitorResult>> Default { get; set; } = _ => Task.FromResult(MonitorResult.Normal());

    public ScriptedMonitor Then(MonitorResult result, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            _script.Enqueue(_ => Task.FromResult(result));
        }

        return this;
    }

    public ScriptedMonitor ThenHang()
    {
        _script.Enqueue(async ct =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return MonitorResult.Normal();
        });
        return this;
    }

    public ScriptedMonitor ThenThrow(Exception ex)
    {
        _script.Enqueue(_ => throw ex);
        return this;
    }

    public Task<MonitorResult> CheckAsync(MonitorContext context, CancellationToken cancellationToken = default)
    {
        Calls++;
        return _script.Count > 0 ? _script.Dequeue()(cancellationToken) : Default(cancellationToken);
    }

    public MonitorResult CreateTimeoutResult(TimeSpan timeout) => MonitorResult.Error(6, "Timeout occurred.");
}
