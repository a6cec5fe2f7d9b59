namespace ClusterPro.Samples.ConsoleHost.Tests;

/// <summary>Runs a command of the clusterpro tool in-process, as its Main does, capturing what it prints.</summary>
internal static class ConsoleRun
{
    /// <summary>Runs <paramref name="args"/>.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code, standard output and standard error.</returns>
    public static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ConsoleApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
