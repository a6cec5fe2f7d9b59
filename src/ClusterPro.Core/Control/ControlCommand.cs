namespace ClusterPro.Control;

/// <summary>What an operator asks a running node over the control channel.</summary>
public enum ControlCommand
{
    /// <summary>The node's report: its view of the cluster, its monitors and its last events. Changes nothing.</summary>
    Status,

    /// <summary>Move a group the node holds to another node (<see cref="ControlRequest.Group"/>, optionally <see cref="ControlRequest.Target"/>).</summary>
    Move,

    /// <summary>Put the node on standby (<see cref="ControlRequest.On"/> true) or take it off (false).</summary>
    Standby,

    /// <summary>Turn the cluster's maintenance on (<see cref="ControlRequest.On"/> true) or off (false).</summary>
    Maintenance,

    /// <summary>Clear failure counts and recovery ladders (of <see cref="ControlRequest.Group"/>'s monitors, or all).</summary>
    Cleanup,
}
