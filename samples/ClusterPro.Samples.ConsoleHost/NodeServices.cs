using Amazon.Extensions.NETCore.Setup;
using ClusterPro.Applications.DependencyInjection;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>Builds a node's services from a configuration: the SDK's <c>AWS</c> section, <c>ClusterPro</c> with its AWS resources.</summary>
internal static class NodeServices
{
    /// <summary>
    /// Log lines go to standard error, every level: standard output is the command's own (a table, one JSON document),
    /// whatever is logged beside it.
    /// </summary>
    public static ILoggingBuilder AddConsoleLog(ILoggingBuilder logging, LogLevel level) =>
        logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(level);

    /// <summary>The configuration file's full path; a file that does not parse is reported by the caller with its line and column.</summary>
    public static string FindFile(string file) =>
        File.Exists(file) ? Path.GetFullPath(file)
        : file == ConsoleApp.DefaultConfigFile ? throw new UsageException($"--config {file}: the file does not exist (the default); put the cluster's configuration there, or give --config FILE.")
        : throw new UsageException($"--config {file}: the file does not exist.");

    public static IConfiguration Load(string file) =>
        new ConfigurationBuilder().AddJsonFile(FindFile(file), optional: false).Build();

    /// <summary>
    /// The cluster's options bound as they are, without the start-up checks: what a command needs to reach the running
    /// nodes (their endpoints, the key, the groups' names) before, or instead of, composing every service.
    /// </summary>
    public static ClusterProOptions BindOptions(IConfiguration configuration)
    {
        var options = new ClusterProOptions();
        configuration.GetSection(ClusterProOptions.SectionName).Bind(options);
        return options;
    }

    /// <summary>The cluster's options from a file, or null when they do not bind (the start-up checks then report why).</summary>
    public static ClusterProOptions? TryBindOptions(string file)
    {
        try
        {
            return BindOptions(Load(file));
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or InvalidDataException or UsageException)
        {
            return null;
        }
    }

    /// <summary>The cluster as configured: the SDK's options when the file has an <c>AWS</c> section, then <c>ClusterPro</c> with its AWS and application resources.</summary>
    public static IClusterProBuilder AddCluster(IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetSection("AWS").Exists())
        {
            services.AddDefaultAWSOptions(configuration.GetAWSOptions());
        }

        return services.AddClusterPro(configuration).AddAwsFromConfiguration(configuration).AddApplicationsFromConfiguration(configuration);
    }

    /// <summary>
    /// The services of a one-shot command, with every setting checked first: a bad configuration throws what
    /// <see cref="Hosting.ConfigurationProblems"/> reads, before anything touches AWS.
    /// </summary>
    public static ServiceProvider Build(IConfiguration configuration, LogLevel logLevel, Action<IServiceCollection>? extra = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => AddConsoleLog(l, logLevel));
        extra?.Invoke(services);
        if (CommandTimeout.Current is { } budget)
        {
            // No attempt of an AWS call waits longer than the command's budget (the budget's end cancels the rest).
            services.Configure<ClusterProAwsOptions>(o => o.Timeout = budget);
        }

        AddCluster(services, configuration);
        var provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
        }
        catch
        {
            provider.Dispose();
            throw;
        }

        return provider;
    }
}
