using Amazon.Extensions.NETCore.Setup;
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
    public static IConfiguration Load(string file)
    {
        if (!File.Exists(file))
        {
            throw new UsageException($"--config {file}: the file does not exist.");
        }

        return new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(file), optional: false).Build();
    }

    public static ServiceProvider Build(IConfiguration configuration, LogLevel logLevel, Action<IServiceCollection>? extra = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; }).SetMinimumLevel(logLevel));
        if (configuration.GetSection("AWS").Exists())
        {
            services.AddDefaultAWSOptions(configuration.GetAWSOptions());
        }

        extra?.Invoke(services);
        services.AddClusterPro(configuration).AddAwsFromConfiguration(configuration);
        var provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException ex)
        {
            provider.Dispose();
            throw new UsageException("The configuration has problems:" + Environment.NewLine + string.Join(Environment.NewLine, ex.Failures.Select(f => "  - " + f)));
        }

        return provider;
    }
}

/// <summary>A mistake in the command line or configuration: printed without a stack trace, exit code 64.</summary>
internal sealed class UsageException(string message) : Exception(message);
