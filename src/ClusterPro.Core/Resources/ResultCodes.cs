namespace ClusterPro.Resources;

/// <summary>
/// Result codes shared by every resource and monitor. Resource-specific codes (50, 53, 56 …) live
/// with each resource; a monitor's warning code is its error code plus <see cref="WarningOffset"/>.
/// </summary>
public static class ResultCodes
{
    /// <summary>The operation succeeded / the monitor is normal.</summary>
    public const int Success = 0;

    /// <summary>Default code when a resource did not finish within its timeout ("Command was not completed within {n} seconds.").</summary>
    public const int Timeout = 1;

    /// <summary>An exception escaped a resource or monitor implementation; the message carries the exception's message.</summary>
    public const int UnexpectedException = 99;

    /// <summary>A warning code is the error code plus this offset (error 5 → warning 105).</summary>
    public const int WarningOffset = 100;
}
