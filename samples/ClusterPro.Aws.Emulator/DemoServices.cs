using ClusterPro.Applications.DependencyInjection;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClusterPro.Aws.Emulator;

/// <summary>A demo node's services: the cluster as configured, with its AWS and application resources, every setting checked first.</summary>
internal static class DemoServices
{
    public static ServiceProvider Build(IConfiguration configuration, Action<IServiceCollection> extra)
    {
        var services = new ServiceCollection();

        // Only what would stop a node is worth a line beside the demo's timeline; on standard error.
        services.AddLogging(l => l.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(LogLevel.Critical));
        extra(services);
        services.AddClusterPro(configuration).AddAwsFromConfiguration(configuration).AddApplicationsFromConfiguration(configuration);
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
