namespace ClusterPro.Hosting;

/// <summary>The configuration cannot run a node: one line per problem, each naming the setting and the fix.</summary>
public sealed class ClusterProConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClusterProConfigurationException()
        : this([])
    {
    }

    /// <summary>Creates the exception with one problem.</summary>
    /// <param name="message">The problem.</param>
    public ClusterProConfigurationException(string message)
        : this([message])
    {
    }

    /// <summary>Creates the exception with one problem and its cause.</summary>
    /// <param name="message">The problem.</param>
    /// <param name="innerException">The cause.</param>
    public ClusterProConfigurationException(string message, Exception innerException)
        : base(message, innerException) =>
        Problems = [message];

    /// <summary>Creates the exception with every problem found.</summary>
    /// <param name="problems">One line per problem.</param>
    public ClusterProConfigurationException(IReadOnlyList<string> problems)
        : base(problems is { Count: > 0 } ? string.Join(Environment.NewLine, problems) : "The ClusterPro configuration has problems.") =>
        Problems = problems ?? [];

    /// <summary>One line per problem, each naming the setting and the fix.</summary>
    public IReadOnlyList<string> Problems { get; }
}
