using System.Collections.Concurrent;
using System.Globalization;
using ClusterPro.Applications.Internal;
using ClusterPro.Applications.Processes;
using ClusterPro.Resources;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Applications.Exec;

/// <summary>
/// The exec group resource: runs the start command on activation and the stop command on deactivation, each in a process
/// group of its own that a timeout kills whole, their output in the log, told why they run by the environment
/// (<see cref="ExecEnvironment"/>). In <see cref="ExecMode.Service"/> the start command is the service, kept as long as
/// the resource is active; its exit is what the process monitor reports. State is kept per node, so two nodes in one
/// process (tests, demos) each have their own.
/// </summary>
internal sealed class ExecResource : IGroupResource
{
    private readonly ExecResourceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, NodeState> _nodes = new(StringComparer.OrdinalIgnoreCase);

    public ExecResource(string name, ExecResourceOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        Name = name;
        _options = options;
        _time = time;
        _logger = logger;
    }

    private enum Applied
    {
        No,
        Yes,

        /// <summary>A start command ran and failed, or was killed: part of it may be in place, so a deactivation runs the stop command.</summary>
        Perhaps,
    }

    public string Name { get; }

    /// <summary>One-shot or service.</summary>
    public ExecMode Mode => _options.Mode;

    public Task<ResourceResult> ActivateAsync(ResourceContext context, CancellationToken cancellationToken = default) =>
        OnNodeAsync(context, StartServiceAsync, RunStartAsync, cancellationToken);

    public Task<ResourceResult> DeactivateAsync(ResourceContext context, CancellationToken cancellationToken = default) =>
        OnNodeAsync(context, StopServiceAsync, RunStopAsync, cancellationToken);

    /// <summary>Runs the service mode's or the one-shot mode's step, one operation at a time on the context's node.</summary>
    private async Task<ResourceResult> OnNodeAsync(
        ResourceContext context,
        Func<NodeState, ResourceContext, CancellationToken, Task<ResourceResult>> service,
        Func<NodeState, ResourceContext, CancellationToken, Task<ResourceResult>> oneshot,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        var node = Node(context.NodeName);
        await node.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await (_options.Mode == ExecMode.Service ? service : oneshot)(node, context, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            node.Gate.Release();
        }
    }

    /// <summary>The service on <paramref name="nodeName"/>: running, exited (and how), or never started there.</summary>
    public ExecServiceStatus ServiceStatus(string nodeName)
    {
        if (!_nodes.TryGetValue(nodeName, out var node) || node.Service is not { } service)
        {
            return new ExecServiceStatus(false, null, null);
        }

        return service.HasExited
            ? new ExecServiceStatus(false, service.Pid, service.Exited.Result)
            : new ExecServiceStatus(true, service.Pid, null);
    }

    private NodeState Node(string nodeName) => _nodes.GetOrAdd(nodeName, _ => new NodeState());

    private async Task<ResourceResult> RunStartAsync(NodeState node, ResourceContext context, CancellationToken cancellationToken)
    {
        if (node.Applied == Applied.Yes)
        {
            return ResourceResult.Unchanged($"{Name} was started on {context.NodeName} already.");
        }

        var spec = Spec(context, "start", _options.Start);
        CommandOutcome outcome;
        try
        {
            outcome = await CommandRunner.RunAsync(spec, _options.EffectiveStartTimeout, _time, _logger, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            node.Applied = Applied.Perhaps;
            throw;
        }

        if (outcome.Succeeded)
        {
            node.Applied = Applied.Yes;
            return ResourceResult.Success([outcome.Change(spec.Display)]);
        }

        if (outcome.End != CommandEnd.NotStarted)
        {
            node.Applied = Applied.Perhaps;
        }

        return ResourceResult.Failure(outcome.Code, outcome.Message);
    }

    private async Task<ResourceResult> RunStopAsync(NodeState node, ResourceContext context, CancellationToken cancellationToken)
    {
        if (node.Applied == Applied.No)
        {
            return ResourceResult.Unchanged($"{Name} is not started on {context.NodeName}.");
        }

        if (_options.Stop.Count == 0)
        {
            node.Applied = Applied.No;
            return ResourceResult.Success([$"{Name} has no stop command; marked stopped on {context.NodeName}"]);
        }

        var spec = Spec(context, "stop", _options.Stop);
        var outcome = await CommandRunner.RunAsync(spec, _options.EffectiveStopTimeout, _time, _logger, cancellationToken).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            return ResourceResult.Failure(outcome.Code, outcome.Message);
        }

        node.Applied = Applied.No;
        return ResourceResult.Success([outcome.Change(spec.Display)]);
    }

    private async Task<ResourceResult> StartServiceAsync(NodeState node, ResourceContext context, CancellationToken cancellationToken)
    {
        if (node.Service is { HasExited: false } running)
        {
            return ResourceResult.Unchanged($"{Name} runs as pid {running.Pid} on {context.NodeName} already.");
        }

        Forget(node);
        var spec = Spec(context, "service", _options.Start);
        RunningProcess service;
        try
        {
            service = RunningProcess.Start(spec, _time, _logger);
        }
        catch (CommandStartException ex)
        {
            return ResourceResult.Failure(ApplicationResultCodes.CommandNotStarted, $"The service could not be started: {ex.Message}.");
        }

        node.Service = service;
        node.Stopping = false;
        _ = service.Exited.ContinueWith(
            t =>
            {
                if (ReferenceEquals(node.Service, service) && !node.Stopping)
                {
                    Log.ServiceExited(_logger, Name, service.Pid, t.Result);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        if (_options.StartupGrace > TimeSpan.Zero)
        {
            try
            {
                var code = await service.Exited.WaitAsync(_options.StartupGrace, _time, cancellationToken).ConfigureAwait(false);
                await service.DrainAsync(CommandRunner.OutputWait).ConfigureAwait(false);
                Forget(node);
                return ResourceResult.Failure(
                    ApplicationResultCodes.ServiceNotRunning,
                    string.Create(CultureInfo.InvariantCulture, $"The service exited with code {code} within its start-up grace of {_options.StartupGrace.TotalSeconds:0.###} s.{Last(service)}"));
            }
            catch (TimeoutException)
            {
                // Still running after the grace: started.
            }
            catch (OperationCanceledException)
            {
                node.Stopping = true;
                await service.KillAsync(CommandRunner.KillWait).ConfigureAwait(false);
                Forget(node);
                throw;
            }
        }

        return ResourceResult.Success([$"started the service ({spec.Display}) as pid {service.Pid} on {context.NodeName}"]);
    }

    private async Task<ResourceResult> StopServiceAsync(NodeState node, ResourceContext context, CancellationToken cancellationToken)
    {
        if (node.Service is not { } service)
        {
            return ResourceResult.Unchanged($"{Name} does not run on {context.NodeName}.");
        }

        node.Stopping = true;
        if (service.HasExited)
        {
            var exited = service.Exited.Result;
            Forget(node);
            return ResourceResult.Success([$"the service (pid {service.Pid}) had exited with code {exited}; marked stopped on {context.NodeName}"]);
        }

        var changes = new List<string>();
        var budget = _options.EffectiveStopTimeout;
        var started = _time.GetTimestamp();
        if (_options.Stop.Count > 0)
        {
            var spec = Spec(context, "stop", _options.Stop);
            var outcome = await CommandRunner.RunAsync(spec, budget, _time, _logger, cancellationToken).ConfigureAwait(false);
            changes.Add(outcome.Succeeded ? outcome.Change(spec.Display) : $"the stop command did not succeed: {outcome.Message}");
            if (!outcome.Succeeded)
            {
                Log.StopCommandFailed(_logger, Name, outcome.Message);
            }
        }
        else
        {
            service.Signal(NativeMethods.SigTerm);
            changes.Add($"sent SIGTERM to the service's process group (pid {service.Pid})");
        }

        var left = budget - _time.GetElapsedTime(started);
        try
        {
            await service.Exited.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.ServiceKilled(_logger, Name, service.Pid, budget.TotalSeconds);
            if (!await service.KillAsync(CommandRunner.KillWait).ConfigureAwait(false))
            {
                return ResourceResult.Failure(ResultCodes.Timeout, string.Create(CultureInfo.InvariantCulture, $"The service (pid {service.Pid}) did not end within {budget.TotalSeconds:0.###} seconds, nor when killed."), changes);
            }

            changes.Add(string.Create(CultureInfo.InvariantCulture, $"killed the service's process group (pid {service.Pid}): it had not ended within {budget.TotalSeconds:0.###} s"));
        }
        catch (OperationCanceledException)
        {
            await service.KillAsync(CommandRunner.KillWait).ConfigureAwait(false);
            Forget(node);
            throw;
        }

        changes.Add($"the service (pid {service.Pid}) ended with code {service.Exited.Result}");
        Forget(node);
        return ResourceResult.Success(changes);
    }

    /// <summary>Drops the node's service: whatever is left of its process group is killed.</summary>
    private static void Forget(NodeState node)
    {
        if (node.Service is { } service)
        {
            service.Signal(NativeMethods.SigKill);
            service.Dispose();
        }

        node.Service = null;
    }

    private static string Last(RunningProcess process) =>
        process.Tail() is { Length: > 0 } tail ? $" Last output: {tail}" : string.Empty;

    private CommandSpec Spec(ResourceContext context, string action, IList<string> command)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in _options.Environment)
        {
            environment[key] = value;
        }

        foreach (var (key, value) in _options.SecretEnvironment)
        {
            environment[key] = value;
        }

        environment[ExecEnvironment.Event] = EventName(context.Cause);
        environment[ExecEnvironment.Node] = context.NodeName;
        environment[ExecEnvironment.Group] = context.GroupName;
        environment[ExecEnvironment.Resource] = Name;
        environment[ExecEnvironment.Action] = action == "stop" ? "stop" : "start";
        if (!string.IsNullOrWhiteSpace(context.Peer))
        {
            environment[ExecEnvironment.Peer] = context.Peer;
        }

        return new CommandSpec(Name, action, [.. command], _options.Shell, _options.WorkingDirectory, environment, [.. _options.SecretEnvironment.Values], _options.User);
    }

    /// <summary>The value of <see cref="ExecEnvironment.Event"/> for a cause.</summary>
    internal static string EventName(OperationCause cause) => cause switch
    {
        OperationCause.Failover => "failover",
        OperationCause.Move => "move",
        OperationCause.Stop => "stop",
        _ => "start",
    };

    private sealed class NodeState
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public Applied Applied { get; set; }

        public RunningProcess? Service { get; set; }

        public bool Stopping { get; set; }
    }
}
