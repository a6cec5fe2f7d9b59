namespace ClusterPro.Samples.ConsoleHost;

/// <summary>A mistake in the command line: printed without a stack trace, with the usage, exit code 64.</summary>
internal sealed class UsageException(string message) : Exception(message);
