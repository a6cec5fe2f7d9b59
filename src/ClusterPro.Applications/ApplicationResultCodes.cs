namespace ClusterPro.Applications;

/// <summary>
/// The result codes of the application resources and monitors, beside the shared <see cref="ClusterPro.Resources.ResultCodes"/>
/// (1: did not finish within its timeout). A monitor's warning is its error code plus 100 (a custom command's exit 1 is
/// warning 102).
/// </summary>
public static class ApplicationResultCodes
{
    /// <summary>A command (an exec resource's start or stop command, a custom monitor's command) exited with a code other than 0.</summary>
    public const int CommandFailed = 2;

    /// <summary>A command could not be started: no such file, not executable, unknown user, missing working directory.</summary>
    public const int CommandNotStarted = 3;

    /// <summary>An exec resource's service is not running: it exited during its start-up grace, or the process monitor finds it gone.</summary>
    public const int ServiceNotRunning = 4;

    /// <summary>A systemd unit did not reach the state asked for (its failure reason in the message), or the systemd monitor finds it not active.</summary>
    public const int UnitNotActive = 5;

    /// <summary><c>systemctl</c> could not be run, or did not answer in a way that could be read.</summary>
    public const int SystemctlFailed = 6;

    /// <summary>A TCP (or HTTP) monitor could not connect.</summary>
    public const int ConnectFailed = 7;

    /// <summary>An HTTP monitor got a status it does not expect.</summary>
    public const int HttpStatus = 8;

    /// <summary>An HTTP monitor got a body that does not match.</summary>
    public const int HttpBody = 9;
}
