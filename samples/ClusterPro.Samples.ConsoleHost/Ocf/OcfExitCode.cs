namespace ClusterPro.Samples.ConsoleHost.Ocf;

/// <summary>The exit codes of the OCF resource agent API 1.1 that the agents return.</summary>
internal static class OcfExitCode
{
    /// <summary>OCF_SUCCESS: the action succeeded; for monitor, the resource runs here and AWS agrees.</summary>
    public const int Success = 0;

    /// <summary>OCF_ERR_GENERIC: the action failed; for monitor, the resource started here has failed (AWS points elsewhere).</summary>
    public const int Generic = 1;

    /// <summary>OCF_ERR_ARGS: no action given, or a parameter that does not fit this host (an interface it does not have).</summary>
    public const int Args = 2;

    /// <summary>OCF_ERR_UNIMPLEMENTED: an action the agents do not have (promote, notify, reload, migrate_to …).</summary>
    public const int Unimplemented = 3;

    /// <summary>OCF_ERR_PERM: AWS refused the call (IAM: UnauthorizedOperation, AccessDenied).</summary>
    public const int Perm = 4;

    /// <summary>OCF_ERR_INSTALLED: iproute2's ip is missing while <c>interface</c> is set.</summary>
    public const int Installed = 5;

    /// <summary>OCF_ERR_CONFIGURED: a parameter that cannot work anywhere (bad shape, an ID AWS does not know, a VIP inside the VPC).</summary>
    public const int Configured = 6;

    /// <summary>OCF_NOT_RUNNING: the resource is cleanly stopped on this node.</summary>
    public const int NotRunning = 7;
}
