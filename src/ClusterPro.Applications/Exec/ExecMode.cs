namespace ClusterPro.Applications.Exec;

/// <summary>How an exec resource runs its start command.</summary>
public enum ExecMode
{
    /// <summary>The start command starts the application and exits; its exit code says whether it did (0: it did).</summary>
    Oneshot,

    /// <summary>
    /// The start command is the service itself: it runs, supervised, for as long as the resource is active. Its exit is a
    /// failure that a <c>process</c> monitor sees (and its recovery ladder restarts the service, then fails the group over).
    /// </summary>
    Service,
}
