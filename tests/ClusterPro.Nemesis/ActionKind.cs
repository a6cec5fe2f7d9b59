namespace ClusterPro.Nemesis;

/// <summary>What the nemesis can do.</summary>
internal enum ActionKind
{
    /// <summary><c>kill -9</c> the node's process.</summary>
    Kill,

    /// <summary>Start the node's process again (starting its instance first if it is stopped, as an operator would).</summary>
    Start,

    /// <summary>SIGSTOP the process.</summary>
    Pause,

    /// <summary>SIGCONT the process.</summary>
    Resume,

    /// <summary>Cut the node's heartbeats to and from every peer.</summary>
    Isolate,

    /// <summary>Heal every link of the node.</summary>
    Rejoin,

    /// <summary>Cut one direction: Node's heartbeats no longer reach Peer.</summary>
    CutLink,

    /// <summary>Drop a share (Value) of the heartbeats between Node and Peer, both ways.</summary>
    LinkLoss,

    /// <summary>Delay Node's heartbeats to Peer by Value seconds (one way); packets on the way still arrive after a cut.</summary>
    LinkDelay,

    /// <summary>Add Value seconds to every AWS call of the node (or only to Operation's) before it reaches AWS.</summary>
    AwsLatency,

    /// <summary>AWS answers the node's Operation calls (or all) Value seconds late: the call takes effect at once, its answer lags.</summary>
    AwsSlowAnswer,

    /// <summary>The node's AWS endpoint fails (Mode).</summary>
    AwsOutage,

    /// <summary>The node's AWS calls are clean again.</summary>
    AwsHeal,

    /// <summary>The node's network-partition target stops answering.</summary>
    NpDown,

    /// <summary>The node's network-partition target answers again.</summary>
    NpUp,

    /// <summary>Stop the node's instance in the emulator behind everyone's back (the watcher then cuts its power).</summary>
    PowerOff,

    /// <summary>Heal everything: links, AWS, NP targets, frozen processes; start stopped instances and dead processes.</summary>
    HealAll,
}
