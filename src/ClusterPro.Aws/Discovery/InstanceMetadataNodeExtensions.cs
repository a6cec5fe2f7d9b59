using ClusterPro.Aws.Fencing;
using ClusterPro.DependencyInjection;
using ClusterPro.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ClusterPro.Aws.Discovery;

/// <summary>Finds a hosted node's name from the EC2 instance it runs on.</summary>
public static class InstanceMetadataNodeExtensions
{
    /// <summary>The name of the <c>IHttpClientFactory</c> client that reads instance metadata (no proxy applies to it).</summary>
    public const string HttpClientName = "ClusterPro.InstanceMetadata";

    /// <summary>
    /// When <c>ClusterPro:Node</c> is not set, the hosted node (<c>AddFailoverManager</c>) is the one whose instance ID
    /// (<see cref="InstanceMetadataNodeOptions.InstanceId"/>, else <c>ClusterPro:Fencing:InstanceId</c>) is the ID this
    /// instance's metadata service (IMDSv2) gives; an instance that is none of them fails the start, naming the settings.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Instance IDs per node, and the metadata endpoint.</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddNodeFromInstanceMetadata(this IClusterProBuilder builder, Action<InstanceMetadataNodeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<InstanceMetadataNodeOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddHttpClient(HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false });
        services.RemoveAll<IClusterNodeResolver>();
        services.AddSingleton<IClusterNodeResolver>(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<InstanceMetadataNodeOptions>>().Value;
            var client = new InstanceMetadataClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName), settings.Metadata, sp.GetService<TimeProvider>());
            return new InstanceMetadataNodeResolver(client, settings, sp.GetRequiredService<IOptions<AwsFencingOptions>>().Value);
        });
        return builder;
    }
}
