using System.Diagnostics.CodeAnalysis;
using ClusterPro.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Hosting;

/// <summary>Runs this process's cluster node as a hosted service of the .NET Generic Host.</summary>
public static class ClusterProHostingExtensions
{
    /// <summary>
    /// Runs this process's node with the host (idempotent): a hosted service creates its failover manager when the host
    /// starts (node from <see cref="ClusterProOptions.Node"/>, <c>ClusterPro:Node</c>, else from an
    /// <see cref="IClusterNodeResolver"/>) and stops it in order when the host stops — on SIGTERM, SIGINT or Ctrl+C under
    /// the console or systemd lifetime: the node releases its groups to the next node and tells its peers, which take them
    /// over at once, without the heartbeat timeout and without fencing. The stop is bounded by
    /// <c>ClusterPro:Failover:StopTimeout</c> and by the host's shutdown timeout (keep the latter longer). The heartbeat
    /// key and every node's heartbeat endpoint are then required, and checked with the rest of the configuration when
    /// the host starts, before anything touches AWS. <see cref="ClusterProNode"/> gives the running node.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddFailoverManager(this IClusterProBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(ClusterProNode)))
        {
            return builder;
        }

        services.AddSingleton(sp => new ClusterProNode(sp.GetService<ILogger<ClusterProNode>>()));
        services.AddHostedService<ClusterProNodeService>();
        return builder;
    }

    /// <summary>Runs <paramref name="nodeName"/> in this process with the host (sets <see cref="ClusterProOptions.Node"/>; see <see cref="AddFailoverManager(IClusterProBuilder)"/>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="nodeName">One of the cluster's nodes.</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddFailoverManager(this IClusterProBuilder builder, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeName);
        builder.Services.Configure<ClusterProOptions>(o => o.Node = nodeName);
        return builder.AddFailoverManager();
    }

    /// <summary>Uses <typeparamref name="TResolver"/> to find this machine's node when <c>ClusterPro:Node</c> is not set.</summary>
    /// <typeparam name="TResolver">The resolver.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder UseNodeResolver<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TResolver>(this IClusterProBuilder builder)
        where TResolver : class, IClusterNodeResolver
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<IClusterNodeResolver>();
        builder.Services.AddSingleton<IClusterNodeResolver, TResolver>();
        return builder;
    }
}
