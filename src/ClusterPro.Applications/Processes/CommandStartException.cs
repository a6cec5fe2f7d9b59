namespace ClusterPro.Applications.Processes;

/// <summary>A command that could not be started; the message says why, in words for the result.</summary>
internal sealed class CommandStartException : Exception
{
    public CommandStartException()
    {
    }

    public CommandStartException(string message)
        : base(message)
    {
    }

    public CommandStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
