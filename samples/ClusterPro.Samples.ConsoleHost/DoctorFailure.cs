namespace ClusterPro.Samples.ConsoleHost;

/// <summary>A finding of a check, with its fix; <see cref="BlocksDependents"/> when later checks cannot run without what it found missing.</summary>
internal sealed class DoctorFailure(string message, bool blocksDependents = false) : Exception(message)
{
    public bool BlocksDependents { get; } = blocksDependents;
}
