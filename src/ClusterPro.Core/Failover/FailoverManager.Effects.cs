using ClusterPro.Groups;
using ClusterPro.Partition;
using ClusterPro.Resources;
using ClusterPro.Witness;

namespace ClusterPro.Failover;

/// <summary>
/// Performing the core's effects: probes, fences, group operations, reactivations, lease calls and final actions run off
/// the decision path, each isolated, and come back to the core as inputs.
/// </summary>
public sealed partial class FailoverManager
{
    /// <summary>Takes the core's effects and performs them. Never called under the lock.</summary>
    private void Dispatch()
    {
        List<CoreEffect> effects;
        lock (_sync)
        {
            if (!_core.HasEffects)
            {
                return;
            }

            effects = _core.TakeEffects();
        }

        foreach (var effect in effects)
        {
            switch (effect)
            {
                case BroadcastEffect:
                    _wake.TrySetResult();
                    break;
                case EventEffect e:
                    Emit(e.Kind, e.Subject, e.Detail, e.Succeeded, e.FailoverDuration);
                    break;
                case ProbeEffect p:
                    Run(() => ProbeAsync(p.Id));
                    break;
                case FenceEffect f:
                    Run(() => FenceAsync(f.Id, f.Peer));
                    break;
                case GroupOperationEffect g:
                    Run(() => OperateAsync(g));
                    break;
                case ReactivateEffect r:
                    Run(() => ReactivateCoreAsync(r));
                    break;
                case CancelEffect c:
                    lock (_sync)
                    {
                        if (_operations.TryGetValue(c.Id, out var cts))
                        {
                            cts.Cancel();
                        }
                    }

                    break;
                case FinalActionEffect a:
                    Run(() => HandFinalActionAsync(a.Request));
                    break;
                case StoppedEffect:
                    Run(LeaveAsync);
                    break;
                case LeaseEffect l:
                    Run(() => LeaseAsync(l));
                    break;
                case OperatorStateEffect o:
                    OperatorStateChanged(o);
                    break;
            }
        }
    }

    /// <summary>
    /// How an effect is started: on the thread pool, so that a plug-in that blocks cannot hold up the loop that
    /// dispatched it. Tests on a fake clock start effects inline instead, so that no effect lags behind the clock.
    /// </summary>
    internal Func<Func<Task>, Task> EffectScheduler { get; set; } = work => Task.Run(work);

    private void Run(Func<Task> work)
    {
        var task = EffectScheduler(work);
        lock (_work)
        {
            _work.Add(task);
        }

        task.ContinueWith(
            t =>
            {
                lock (_work)
                {
                    _work.Remove(t);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private CancellationToken Stopping => _stopping?.Token ?? CancellationToken.None;

    private async Task ProbeAsync(long id)
    {
        var probes = await Task.WhenAll(_resolvers.Select(ProbeOneAsync)).ConfigureAwait(false);
        var reachable = probes.Any(r => r.Status == PartitionProbeStatus.Reachable);
        var detail = string.Join(" ", probes.Select(r => $"[{r.Resolver}: {r.Detail}]"));
        lock (_sync)
        {
            _core.ProbeCompleted(Now(), id, reachable, detail);
        }

        Dispatch();
    }

    private async Task<PartitionProbeResult> ProbeOneAsync(INetworkPartitionResolver resolver)
    {
        try
        {
            return await resolver.ProbeAsync(Stopping).ConfigureAwait(false)
                ?? new PartitionProbeResult(resolver.Name, PartitionProbeStatus.Unreachable, "The resolver returned no result.");
        }
#pragma warning disable CA1031 // A resolver's exception is an unreachable probe, never a dead loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (Stopping.IsCancellationRequested)
            {
                return new PartitionProbeResult(resolver.Name, PartitionProbeStatus.Unreachable, "The node is stopping.");
            }

            PluginFailed(ex, $"network-partition resolver {resolver.Name}");
            return new PartitionProbeResult(resolver.Name, PartitionProbeStatus.Unreachable, $"The resolver failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task FenceAsync(long id, string peer)
    {
        FenceResult result;
        try
        {
            result = _fencing is null
                ? new FenceResult(false, ResultCodes.UnexpectedException, "No fencing agent is configured.")
                : await _fencing.FenceAsync(NodeName, peer, Stopping).ConfigureAwait(false)
                    ?? new FenceResult(false, ResultCodes.UnexpectedException, "The fencing agent returned no result.");
        }
#pragma warning disable CA1031 // A fencing agent's exception is a failed fence, retried; never a dead loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (!Stopping.IsCancellationRequested)
            {
                PluginFailed(ex, $"fencing agent (fencing {peer})");
            }

            result = new FenceResult(false, ResultCodes.UnexpectedException, $"The fencing agent failed: {ex.GetType().Name}: {ex.Message}");
        }

        _metrics.Fences.Add(1, new KeyValuePair<string, object?>("outcome", result.Fenced ? "fenced" : "failed"));
        lock (_sync)
        {
            _core.FenceCompleted(Now(), id, result);
        }

        Dispatch();
    }

    private async Task OperateAsync(GroupOperationEffect effect)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Stopping);
        lock (_sync)
        {
            _operations[effect.Id] = cts;
        }

        GroupOperationOutcome outcome;
        var group = _groups[effect.Group];
        try
        {
            var result = effect.Operation == GroupOperation.Activate
                ? await group.ActivateAsync(new ResourceContext(NodeName, group.Name) { Cause = effect.Cause, Peer = effect.Peer }, cts.Token).ConfigureAwait(false)
                : await group.DeactivateAsync(new ResourceContext(NodeName, group.Name) { Cause = effect.Cause, Peer = effect.Peer }, cts.Token).ConfigureAwait(false);
            outcome = GroupOperationOutcome.From(result);
        }
        catch (OperationCanceledException)
        {
            outcome = new GroupOperationOutcome(null, null, group.IsActive, $"{effect.Operation} of {effect.Group} on {NodeName} was cancelled; active: {Describe(group)}.");
        }
#pragma warning disable CA1031 // The group engine maps resource exceptions; anything else is a failed operation.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            PluginFailed(ex, $"group {effect.Group}");
            outcome = new GroupOperationOutcome(null, null, group.IsActive, $"{effect.Operation} of {effect.Group} on {NodeName} failed: {ex.GetType().Name}: {ex.Message}; active: {Describe(group)}.");
        }

        lock (_sync)
        {
            _operations.Remove(effect.Id);
            _core.GroupOperationCompleted(Now(), effect.Id, outcome);
        }

        Dispatch();
    }

    private static string Describe(FailoverGroup group) =>
        group.ActiveResources.Count == 0 ? "none" : string.Join(", ", group.ActiveResources);

    private async Task ReactivateCoreAsync(ReactivateEffect effect)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Stopping);
        lock (_sync)
        {
            _operations[effect.Id] = cts;
        }

        var group = _groups[effect.Group];
        bool succeeded;
        try
        {
            if (effect.Resource.Length == 0)
            {
                var down = await group.DeactivateAsync(NodeName, cts.Token).ConfigureAwait(false);
                succeeded = down.Succeeded && (await group.ActivateAsync(NodeName, cts.Token).ConfigureAwait(false)).Succeeded;
            }
            else
            {
                succeeded = (await group.ReactivateResourceAsync(effect.Resource, NodeName, cts.Token).ConfigureAwait(false)).Succeeded;
            }
        }
#pragma warning disable CA1031 // A failed reactivation is a result for the monitor, never a dead loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (ex is not OperationCanceledException)
            {
                PluginFailed(ex, $"reactivation of {effect.Group}");
            }

            succeeded = false;
        }

        TaskCompletionSource<bool>? waiter;
        lock (_sync)
        {
            _operations.Remove(effect.Id);
            _reactivations.Remove(effect.Id, out waiter);
            _core.ReactivationCompleted(Now(), effect.Id, succeeded);
        }

        waiter?.TrySetResult(succeeded);
        Dispatch();
    }

    private async Task LeaseAsync(LeaseEffect effect)
    {
        LeaseRead? read = null;
        LeaseWrite? write = null;
        try
        {
            var store = _witness!;
            switch (effect.Call)
            {
                case LeaseCall.Read:
                    read = await store.ReadAsync(effect.Group, Stopping).ConfigureAwait(false) ?? LeaseRead.NoAnswer("The lease store returned no result.");
                    break;
                case LeaseCall.Acquire:
                    write = await store.AcquireAsync(effect.Acquisition!, Stopping).ConfigureAwait(false);
                    break;
                case LeaseCall.Renew:
                    write = await store.RenewAsync(effect.Group, NodeName, effect.Epoch, effect.RecordVersion!, Stopping).ConfigureAwait(false);
                    break;
                default:
                    write = await store.ReleaseAsync(effect.Group, NodeName, effect.Epoch, effect.RecordVersion!, Stopping).ConfigureAwait(false);
                    break;
            }
        }
#pragma warning disable CA1031 // A lease store's exception is an unknown outcome, never a dead loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (!Stopping.IsCancellationRequested)
            {
                PluginFailed(ex, $"lease store ({effect.Call} {effect.Group})");
            }

            var detail = $"The lease store failed: {ex.GetType().Name}: {ex.Message}";
            read = effect.Call == LeaseCall.Read ? LeaseRead.NoAnswer(detail) : null;
            write = effect.Call == LeaseCall.Read ? null : LeaseWrite.Unknown(detail);
        }

        write ??= effect.Call == LeaseCall.Read ? null : LeaseWrite.Unknown("The lease store returned no result.");
        lock (_sync)
        {
            _core.LeaseCompleted(Now(), effect.Id, read, write);
        }

        Dispatch();
    }

    private async Task HandFinalActionAsync(FinalActionRequest request)
    {
        try
        {
            await _finalActions.ExecuteAsync(request, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The host's handler is isolated.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            PluginFailed(ex, $"final-action handler ({request.Action})");
        }
    }
}
