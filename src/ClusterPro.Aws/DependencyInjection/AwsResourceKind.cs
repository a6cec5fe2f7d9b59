using ClusterPro.Aws.Iam;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using Microsoft.Extensions.DependencyInjection;

namespace ClusterPro.Aws.DependencyInjection;

/// <summary>
/// What one kind of AWS resource brings to the one generic registration: its setting checks, how to make the
/// resource and its monitor, and its IAM statements. Each feature folder declares its kind next to its options.
/// </summary>
/// <typeparam name="TOptions">The resource's options.</typeparam>
/// <typeparam name="TResource">The resource.</typeparam>
internal sealed class AwsResourceKind<TOptions, TResource>
    where TOptions : AwsResourceOptions
    where TResource : class, IGroupResource
{
    /// <summary>Cross-field checks (ranges are <c>[Range]</c> attributes on the options): options, configuration path, nodes, errors.</summary>
    public required Action<TOptions, string, IReadOnlyList<string>, List<string>> Rules { get; init; }

    /// <summary>Makes the resource: services, name, options.</summary>
    public required Func<IServiceProvider, string, TOptions, TResource> CreateResource { get; init; }

    /// <summary>Makes its monitor: services, monitor name, resource, options.</summary>
    public required Func<IServiceProvider, string, TResource, TOptions, IMonitorResource> CreateMonitor { get; init; }

    /// <summary>Its IAM statements.</summary>
    public required Func<IServiceProvider, TOptions, IAwsIamPolicyContributor> Policy { get; init; }

    /// <summary>Services the kind needs besides the EC2 client (e.g. the Route 53 client).</summary>
    public Action<IServiceCollection>? Services { get; init; }
}
