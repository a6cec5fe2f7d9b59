namespace ClusterPro.Failover;

/// <summary>Failover manager settings.</summary>
public sealed class FailoverManagerOptions
{
    /// <summary>How long to listen for peers before starting groups at cluster start. <value>Default: the heartbeat timeout.</value></summary>
    public TimeSpan? StartupWait { get; set; }

    /// <summary>How long any node but the master waits before fencing, so two isolated nodes do not fence each other. <value>Default: 5 s.</value></summary>
    public TimeSpan FenceDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The wait before fencing a lost peer again after a failed attempt; it doubles with each failure up to
    /// <see cref="FenceRetryMax"/>. A lost peer is fenced again until it is stopped or returns. <value>Default: 2 s.</value>
    /// </summary>
    public TimeSpan FenceRetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between fencing attempts. <value>Default: 30 s.</value></summary>
    public TimeSpan FenceRetryMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The final action when this node finds itself isolated. <value>Default: <see cref="FinalAction.StopClusterServiceAndShutdownOs"/> (handed to the host).</value></summary>
    public FinalAction PartitionAction { get; set; } = FinalAction.StopClusterServiceAndShutdownOs;

    /// <summary>Decide splits by majority (three or more nodes). <value>Default: true.</value></summary>
    public bool UseMajority { get; set; } = true;

    /// <summary>
    /// A directory where the node keeps the operator's settings (standby, and the cluster's maintenance as it last knew
    /// it) in <c>&lt;node&gt;.state.json</c>, so that a restart keeps them: a node on standby for patching stays on standby
    /// after its reboot until unstandby. The sample host's <c>run</c> uses systemd's <c>$STATE_DIRECTORY</c> when this is
    /// not set. <value>Default: none (the settings last until the process stops; maintenance is learnt back from running
    /// peers).</value>
    /// </summary>
    public string? StateDirectory { get; set; }

    /// <summary>How long the node's own group operations may take to finish when it stops in order before they are cancelled. <value>Default: 30 s.</value></summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
