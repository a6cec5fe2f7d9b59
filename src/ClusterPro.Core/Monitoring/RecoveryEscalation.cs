namespace ClusterPro.Monitoring;

/// <summary>
/// The recovery ladder's counters: reactivate up to the reactivation threshold, then fail over up to the
/// failover threshold, then the final action once. Pure state, no I/O; reset when the monitor is normal again.
/// </summary>
public sealed class RecoveryEscalation
{
    private readonly RecoveryOptions _options;

    /// <summary>Creates the ladder.</summary>
    /// <param name="options">Thresholds and target.</param>
    public RecoveryEscalation(RecoveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Reactivations done since the last reset.</summary>
    public int Reactivations { get; private set; }

    /// <summary>Failovers requested since the last reset.</summary>
    public int Failovers { get; private set; }

    /// <summary>Whether the final action step has been taken since the last reset.</summary>
    public bool FinalActionTaken { get; private set; }

    /// <summary>Decides and records the next step for a declared error.</summary>
    /// <returns><see cref="RecoveryStep.Reactivate"/>, <see cref="RecoveryStep.Failover"/>, <see cref="RecoveryStep.FinalAction"/> or <see cref="RecoveryStep.Exhausted"/>.</returns>
    public RecoveryStep Next()
    {
        var local = _options.TargetKind == RecoveryTargetKind.LocalServer;
        if (!local && Reactivations < _options.ReactivationThreshold)
        {
            Reactivations++;
            return RecoveryStep.Reactivate;
        }

        if (!local && Failovers < _options.FailoverThreshold)
        {
            Failovers++;
            return RecoveryStep.Failover;
        }

        if (!FinalActionTaken)
        {
            FinalActionTaken = true;
            return RecoveryStep.FinalAction;
        }

        return RecoveryStep.Exhausted;
    }

    /// <summary>Clears every counter (the monitor is normal again).</summary>
    public void Reset()
    {
        Reactivations = 0;
        Failovers = 0;
        FinalActionTaken = false;
    }
}
