using System.Diagnostics;
using System.Diagnostics.Metrics;
using ClusterPro.Diagnostics;
using ClusterPro.Failover;
using ClusterPro.Resources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterPro.Groups;

/// <summary>A group resource with its settings in the group.</summary>
/// <param name="Resource">The implementation.</param>
/// <param name="Options">Dependencies, thresholds, final actions and timeouts.</param>
public sealed record GroupMember(IGroupResource Resource, GroupResourceOptions Options);

/// <summary>
/// A failover group on one node: activates its resources in dependency order and deactivates them in
/// reverse, applying each resource's retry threshold, failover threshold and final action. Operations on
/// one group are serialized. The group never shuts anything down itself: final actions other than
/// <see cref="FinalAction.StopGroup"/> go to the host's <see cref="IFinalActionHandler"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "SemaphoreSlim holds no unmanaged handle unless AvailableWaitHandle is used, which it never is here.")]
public sealed class FailoverGroup
{
    private readonly Dictionary<string, GroupMember> _members;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ClusterProMetrics _metrics;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _active = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _failovers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the group.</summary>
    /// <param name="name">The group name.</param>
    /// <param name="members">Its resources in registration order.</param>
    /// <param name="finalActions">Carries out final actions; <see cref="LoggingFinalActionHandler"/> when <see langword="null"/>.</param>
    /// <param name="timeProvider">Time source; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <param name="meterFactory">Metrics.</param>
    /// <exception cref="InvalidOperationException">Duplicate names, unknown dependencies or a dependency cycle (named in the message).</exception>
    public FailoverGroup(
        string name,
        IEnumerable<GroupMember> members,
        IFinalActionHandler? finalActions = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(members);
        Name = name;
        var list = members.ToList();
        _members = new Dictionary<string, GroupMember>(StringComparer.OrdinalIgnoreCase);
        foreach (var m in list)
        {
            if (!_members.TryAdd(m.Resource.Name, m))
            {
                throw new InvalidOperationException($"Group '{name}' lists resource '{m.Resource.Name}' twice; give each resource a unique name.");
            }
        }

        ActivationOrder = DependencyOrder.Resolve(list.Select(m => (m.Resource.Name, (IEnumerable<string>)m.Options.DependsOn)).ToList(), name);
        FinalActions = finalActions ?? new LoggingFinalActionHandler();
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<FailoverGroup>();
        _metrics = ClusterProMetrics.Get(meterFactory);
    }

    /// <summary>The group name.</summary>
    public string Name { get; }

    /// <summary>
    /// Where final actions go (other than <see cref="FinalAction.StopGroup"/>, which the group takes itself). A failover
    /// manager routes them through its decision core, so that the node leaves the cluster in order.
    /// </summary>
    internal IFinalActionHandler FinalActions { get; set; }

    /// <summary>How long a resource that ignores cancellation is waited for after its timeout, before it is reported as abandoned.</summary>
    internal static TimeSpan AbandonGrace { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Raised after each resource operation (one attempt's final result), for timelines and events.</summary>
    public event EventHandler<ResourceCompletedEventArgs>? ResourceCompleted;

    /// <summary>Resource names in activation order (deactivation runs in reverse).</summary>
    public IReadOnlyList<string> ActivationOrder { get; }

    /// <summary>The resources active on this node now, in activation order.</summary>
    public IReadOnlyList<string> ActiveResources
    {
        get
        {
            lock (_active)
            {
                return ActivationOrder.Where(_active.Contains).ToList();
            }
        }
    }

    /// <summary>Whether any resource of the group is active on this node.</summary>
    public bool IsActive
    {
        get
        {
            lock (_active)
            {
                return _active.Count > 0;
            }
        }
    }

    /// <summary>Whether <paramref name="resourceName"/> is a resource of this group.</summary>
    /// <param name="resourceName">The resource name.</param>
    /// <returns>True when it is.</returns>
    public bool Contains(string resourceName) => _members.ContainsKey(resourceName);

    /// <summary>Whether the resource is active on this node.</summary>
    /// <param name="resourceName">The resource name.</param>
    /// <returns>True when active.</returns>
    public bool IsResourceActive(string resourceName)
    {
        lock (_active)
        {
            return _active.Contains(resourceName);
        }
    }

    /// <summary>Failover requests made for a resource's activation failures since its last successful activation.</summary>
    /// <param name="resourceName">The resource.</param>
    /// <returns>The count.</returns>
    public int FailoverCount(string resourceName)
    {
        lock (_failovers)
        {
            return _failovers.GetValueOrDefault(resourceName);
        }
    }

    /// <summary>
    /// Activates the group on <paramref name="nodeName"/>: each resource in dependency order, retried up to its
    /// activation retry threshold; a resource that still fails asks for a failover up to its failover
    /// threshold, then takes its final action. Resources after a failure are not activated (unless the final
    /// action is <see cref="FinalAction.NoneContinue"/>).
    /// </summary>
    /// <param name="nodeName">The node.</param>
    /// <param name="cancellationToken">Cancellation; propagates.</param>
    /// <returns>What happened, and exactly which resources are active.</returns>
    public Task<GroupOperationResult> ActivateAsync(string nodeName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeName);
        return ActivateAsync(new ResourceContext(nodeName, Name) { Cause = OperationCause.Start }, cancellationToken);
    }

    /// <summary>
    /// Activates the group on <see cref="ResourceContext.NodeName"/> as <see cref="ActivateAsync(string, CancellationToken)"/>
    /// does, telling each resource why (<see cref="ResourceContext.Cause"/>) and the node the group comes from
    /// (<see cref="ResourceContext.Peer"/>): the failover manager passes what its decision core decided.
    /// </summary>
    /// <param name="context">The node, this group's name, the cause and the peer.</param>
    /// <param name="cancellationToken">Cancellation; propagates.</param>
    /// <returns>What happened, and exactly which resources are active.</returns>
    /// <exception cref="ArgumentException">The context names another group.</exception>
    internal async Task<GroupOperationResult> ActivateAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        CheckContext(context);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ActivateCoreAsync(context, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Deactivates the group on <paramref name="nodeName"/>: every resource in reverse dependency order (also
    /// those not known to be active, since a failed activation may have half-applied), retried up to the
    /// deactivation retry threshold, then the deactivation final action.
    /// </summary>
    /// <param name="nodeName">The node.</param>
    /// <param name="cancellationToken">Cancellation; propagates.</param>
    /// <returns>What happened.</returns>
    public Task<GroupOperationResult> DeactivateAsync(string nodeName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeName);
        return DeactivateAsync(new ResourceContext(nodeName, Name) { Cause = OperationCause.Stop }, cancellationToken);
    }

    /// <summary>
    /// Deactivates the group on <see cref="ResourceContext.NodeName"/> as
    /// <see cref="DeactivateAsync(string, CancellationToken)"/> does, telling each resource why
    /// (<see cref="ResourceContext.Cause"/>) and the node the group is handed to (<see cref="ResourceContext.Peer"/>): the
    /// failover manager passes what its decision core decided.
    /// </summary>
    /// <param name="context">The node, this group's name, the cause and the peer.</param>
    /// <param name="cancellationToken">Cancellation; propagates.</param>
    /// <returns>What happened.</returns>
    /// <exception cref="ArgumentException">The context names another group.</exception>
    internal async Task<GroupOperationResult> DeactivateAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        CheckContext(context);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await DeactivateCoreAsync(context, ActivationOrder.Reverse().ToList(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reactivates one resource (deactivate, then activate), as a monitor's recovery step does.</summary>
    /// <param name="resourceName">The resource.</param>
    /// <param name="nodeName">The node.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The activation's result (or the deactivation's, when that failed).</returns>
    public async Task<ResourceResult> ReactivateResourceAsync(string resourceName, string nodeName, CancellationToken cancellationToken = default)
    {
        if (!_members.TryGetValue(resourceName, out var member))
        {
            throw new ArgumentException($"Group '{Name}' has no resource '{resourceName}'.", nameof(resourceName));
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var context = new ResourceContext(nodeName, Name);
            var down = await InvokeAsync(member, GroupOperation.Deactivate, context with { Cause = OperationCause.Stop }, cancellationToken).ConfigureAwait(false);
            if (!down.Succeeded)
            {
                return down;
            }

            SetActive(member.Resource.Name, false);
            var up = await InvokeAsync(member, GroupOperation.Activate, context, cancellationToken).ConfigureAwait(false);
            SetActive(member.Resource.Name, up.Succeeded);
            return up;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Clears the failover counters (e.g. after an operator fixed the cause).</summary>
    public void ResetCounters()
    {
        lock (_failovers)
        {
            _failovers.Clear();
        }
    }

    private async Task<GroupOperationResult> ActivateCoreAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var nodeName = context.NodeName;
        var records = new List<ResourceOperationRecord>();
        Log.GroupOperationStarting(_logger, GroupOperation.Activate, Name, nodeName);
        foreach (var name in ActivationOrder)
        {
            var member = _members[name];
            var (result, attempts) = await WithRetriesAsync(member, GroupOperation.Activate, member.Options.ActivationRetryThreshold, context, cancellationToken).ConfigureAwait(false);
            records.Add(new ResourceOperationRecord(name, result, attempts));
            SetActive(name, result.Succeeded);
            RaiseResourceCompleted(GroupOperation.Activate, nodeName, records[^1]);
            if (result.Succeeded)
            {
                lock (_failovers)
                {
                    _failovers.Remove(name);
                }

                continue;
            }

            bool failover;
            lock (_failovers)
            {
                var failovers = _failovers.GetValueOrDefault(name);
                failover = failovers < member.Options.FailoverThreshold;
                if (failover)
                {
                    _failovers[name] = failovers + 1;
                }
            }

            if (failover)
            {
                return Finish(GroupOperation.Activate, GroupOutcome.FailoverRequested, nodeName, records, name, null, started);
            }

            var action = member.Options.ActivationFinalAction;
            await TakeFinalActionAsync(action, name, nodeName, $"Activating {name} resource has failed.({result.Code} : {result.Message})", cancellationToken).ConfigureAwait(false);
            if (action == FinalAction.NoneContinue)
            {
                continue;
            }

            if (action == FinalAction.StopGroup)
            {
                var stop = await DeactivateCoreAsync(context with { Cause = OperationCause.Stop, Peer = null }, ActivationOrder.Reverse().ToList(), cancellationToken).ConfigureAwait(false);
                records.AddRange(stop.Resources);
            }

            return Finish(GroupOperation.Activate, GroupOutcome.FinalActionTaken, nodeName, records, name, action, started);
        }

        var failedContinue = records.LastOrDefault(r => !r.Result.Succeeded);
        return failedContinue is null
            ? Finish(GroupOperation.Activate, GroupOutcome.Succeeded, nodeName, records, null, null, started)
            : Finish(GroupOperation.Activate, GroupOutcome.FinalActionTaken, nodeName, records, failedContinue.Name, FinalAction.NoneContinue, started);
    }

    private async Task<GroupOperationResult> DeactivateCoreAsync(ResourceContext context, IReadOnlyList<string> order, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var nodeName = context.NodeName;
        var records = new List<ResourceOperationRecord>();
        Log.GroupOperationStarting(_logger, GroupOperation.Deactivate, Name, nodeName);
        string? failedContinue = null;
        foreach (var name in order)
        {
            var member = _members[name];
            var (result, attempts) = await WithRetriesAsync(member, GroupOperation.Deactivate, member.Options.DeactivationRetryThreshold, context, cancellationToken).ConfigureAwait(false);
            records.Add(new ResourceOperationRecord(name, result, attempts));
            RaiseResourceCompleted(GroupOperation.Deactivate, nodeName, records[^1]);
            if (result.Succeeded)
            {
                SetActive(name, false);
                continue;
            }

            var action = member.Options.DeactivationFinalAction;
            await TakeFinalActionAsync(action, name, nodeName, $"Deactivating {name} resource has failed.({result.Code} : {result.Message})", cancellationToken).ConfigureAwait(false);
            if (action != FinalAction.NoneContinue)
            {
                return Finish(GroupOperation.Deactivate, GroupOutcome.FinalActionTaken, nodeName, records, name, action, started);
            }

            failedContinue = name;
        }

        return failedContinue is null
            ? Finish(GroupOperation.Deactivate, GroupOutcome.Succeeded, nodeName, records, null, null, started)
            : Finish(GroupOperation.Deactivate, GroupOutcome.FinalActionTaken, nodeName, records, failedContinue, FinalAction.NoneContinue, started);
    }

    private async Task<(ResourceResult Result, int Attempts)> WithRetriesAsync(GroupMember member, GroupOperation operation, int retries, ResourceContext context, CancellationToken cancellationToken)
    {
        var attempts = 0;
        while (true)
        {
            attempts++;
            var result = await InvokeAsync(member, operation, context, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded || attempts > retries)
            {
                return (result, attempts);
            }

            Log.ResourceRetry(_logger, operation, member.Resource.Name, attempts, retries, result.Code, result.Message);
        }
    }

    private async Task<ResourceResult> InvokeAsync(GroupMember member, GroupOperation operation, ResourceContext context, CancellationToken cancellationToken)
    {
        var timeoutSpan = operation == GroupOperation.Activate ? member.Options.ActivationTimeout : member.Options.DeactivationTimeout;
        using var timeout = new CancellationTokenSource(timeoutSpan, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var resource = member.Resource;
        ResourceResult result;
        Task<ResourceResult>? task = null;
        try
        {
            task = operation == GroupOperation.Activate
                ? resource.ActivateAsync(context, linked.Token)
                : resource.DeactivateAsync(context, linked.Token);
            result = await task.WaitAsync(linked.Token).ConfigureAwait(false)
                ?? ResourceResult.Failure(ResultCodes.UnexpectedException, "The resource returned no result.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller cancelled: the resource's own work ends before the group moves on.
            await AwaitAbandonedAsync(task, resource.Name, operation).ConfigureAwait(false);
            throw;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // Timed out: cancelled, and awaited, so it cannot change anything after the group has moved on.
            var ended = await AwaitAbandonedAsync(task, resource.Name, operation).ConfigureAwait(false);
            result = resource.CreateTimeoutResult(timeoutSpan);
            if (!ended)
            {
                result = result with { Message = $"{result.Message} The resource did not stop within {AbandonGrace.TotalSeconds:0} s of being cancelled; what it changes afterwards is not known." };
            }
        }
#pragma warning disable CA1031 // An exception from a resource is a failed result, by contract.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ResourceThrew(_logger, ex, operation, resource.Name);
            result = ResourceResult.Failure(ResultCodes.UnexpectedException, $"The resource failed: {ex.GetType().Name}: {ex.Message}");
        }

        var outcome = result.Succeeded ? "succeeded" : "failed";
        var tags = new TagList { { "resource", resource.Name }, { "group", Name }, { "outcome", outcome } };
        if (operation == GroupOperation.Activate)
        {
            _metrics.Activations.Add(1, tags);
        }
        else
        {
            _metrics.Deactivations.Add(1, tags);
        }

        if (result.Succeeded)
        {
            Log.ResourceSucceeded(_logger, operation, resource.Name, context.NodeName, result.Changes.Count);
        }
        else
        {
            _metrics.Failures.Add(1, tags);
            Log.ResourceFailed(_logger, operation, resource.Name, context.NodeName, result.Code, result.Message);
        }

        return result;
    }

    private async Task TakeFinalActionAsync(FinalAction action, string resource, string nodeName, string reason, CancellationToken cancellationToken)
    {
        Log.GroupFinalAction(_logger, Name, resource, action, reason);
        if (action is FinalAction.None or FinalAction.NoneContinue or FinalAction.StopGroup)
        {
            return;
        }

        await FinalActions.ExecuteAsync(new FinalActionRequest(action, resource, nodeName, Name, reason), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits (bounded) for a cancelled resource task to end; true when it did.</summary>
    private async Task<bool> AwaitAbandonedAsync(Task<ResourceResult>? task, string resource, GroupOperation operation)
    {
        if (task is null || task.IsCompleted)
        {
            return true;
        }

        try
        {
            await task.WaitAsync(AbandonGrace, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.ResourceAbandoned(_logger, operation, resource, AbandonGrace.TotalSeconds);
            return false;
        }
#pragma warning disable CA1031 // The cancelled task's own outcome does not matter any more; only that it ended.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        return true;
    }

    private void RaiseResourceCompleted(GroupOperation operation, string nodeName, ResourceOperationRecord record)
    {
        var handlers = ResourceCompleted;
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<ResourceCompletedEventArgs>>())
        {
            try
            {
                handler(this, new ResourceCompletedEventArgs(operation, nodeName, record));
            }
#pragma warning disable CA1031 // A subscriber never aborts a group operation.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.SubscriberThrew(_logger, ex, Name, nameof(ResourceCompleted));
            }
        }
    }

    private void CheckContext(ResourceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(context.NodeName, nameof(context));
        if (!string.Equals(context.GroupName, Name, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"The context names group '{context.GroupName}', not '{Name}'.", nameof(context));
        }
    }

    private void SetActive(string name, bool active)
    {
        lock (_active)
        {
            if (active)
            {
                _active.Add(name);
            }
            else
            {
                _active.Remove(name);
            }
        }
    }

    private GroupOperationResult Finish(GroupOperation operation, GroupOutcome outcome, string nodeName, List<ResourceOperationRecord> records, string? failed, FinalAction? action, long started)
    {
        var result = new GroupOperationResult(Name, nodeName, operation, outcome, records, ActiveResources, failed, action, _time.GetElapsedTime(started));
        _metrics.GroupOperationDuration.Record(result.Duration.TotalSeconds, new("group", Name), new("operation", ClusterProMetrics.Label(operation)), new("outcome", ClusterProMetrics.Label(outcome)));
        Log.GroupOperationFinished(_logger, result);
        return result;
    }
}
