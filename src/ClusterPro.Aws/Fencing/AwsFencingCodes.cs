namespace ClusterPro.Aws.Fencing;

/// <summary>Result codes of AWS fencing.</summary>
public static class AwsFencingCodes
{
    /// <summary>The peer is stopped.</summary>
    public const int Stopped = 0;

    /// <summary>An AWS call failed (its message says why).</summary>
    public const int ApiFailed = 50;

    /// <summary>The peer did not reach <c>stopped</c> in time.</summary>
    public const int Timeout = 51;

    /// <summary>This node's own instance is not running, so it must not fence (fence_aws's race check).</summary>
    public const int OwnInstanceNotRunning = 52;
}
