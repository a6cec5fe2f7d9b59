using Amazon.EC2;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using ClusterPro.Aws.AvailabilityZone;
using ClusterPro.Aws.Dns;
using ClusterPro.Aws.Route53;
using ClusterPro.Aws.ElasticIp;
using ClusterPro.Aws.Host;
using ClusterPro.Aws.Iam;
using ClusterPro.Aws.SecondaryIp;
using ClusterPro.Aws.VirtualIp;
using ClusterPro.DependencyInjection;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ClusterPro.Aws.DependencyInjection;

/// <summary>Adds the AWS resources and monitors to a ClusterPro builder.</summary>
public static class AwsClusterProBuilderExtensions
{
    /// <summary>
    /// Adds the AWS plumbing (idempotent): <see cref="IAmazonEC2"/> via <c>TryAddAWSService</c> (a host's own registration
    /// wins) with the standard credential and region chain, the <c>AWS_ENDPOINT_URL_EC2</c> / <c>AWS_ENDPOINT_URL</c>
    /// overrides signed for the configured region, the SDK's standard retry; a Linux host address manager unless the host
    /// registered an <see cref="IHostAddressManagerProvider"/>; and the IAM policy builder.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Client settings.</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddAws(this IClusterProBuilder builder, Action<ClusterProAwsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (configure is not null)
        {
            services.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(AwsMarker)))
        {
            return builder;
        }

        services.AddSingleton<AwsMarker>();
        services.TryAddAWSService<IAmazonEC2>((config, sp) => ConfigureClient(config, sp, "EC2"));
        services.TryAddSingleton<IHostAddressManagerProvider, DefaultHostAddressManagerProvider>();
        services.TryAddSingleton<AwsIamPolicy>();
        services.AddSingleton<IAwsIamPolicyContributor, PreflightPolicy>();

        // The HTTP network-partition probes take their client from the factory (configure proxies on it).
        services.AddHttpClient(ClusterPro.Partition.HttpNetworkPartitionResolver.HttpClientName);
        return builder;
    }

    /// <summary>Adds an AWS Virtual IP resource to <paramref name="group"/> and its monitor (<c>awsvip1</c> → <c>awsvipw1</c>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="group">The failover group.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="configure">VIP, VPC, ENIs, interface.</param>
    /// <param name="monitor">Adjusts the monitor's common settings (it monitors while the VIP is active and reactivates it).</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddAwsVirtualIp(this IClusterProBuilder builder, string group, string name, Action<AwsVirtualIpOptions> configure, Action<MonitorOptions>? monitor = null) =>
        AddAwsResource(builder, group, name, configure, monitor, AwsVirtualIpKind.Instance);

    /// <summary>Adds an AWS Elastic IP resource to <paramref name="group"/> and its monitor (<c>awseip1</c> → <c>awseipw1</c>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="group">The failover group.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="configure">Allocation ID and ENIs.</param>
    /// <param name="monitor">Adjusts the monitor's common settings.</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddAwsElasticIp(this IClusterProBuilder builder, string group, string name, Action<AwsElasticIpOptions> configure, Action<MonitorOptions>? monitor = null) =>
        AddAwsResource(builder, group, name, configure, monitor, AwsElasticIpKind.Instance);

    /// <summary>Adds an AWS secondary IP resource to <paramref name="group"/> and its monitor (<c>awssip1</c> → <c>awssipw1</c>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="group">The failover group.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="configure">Address, ENIs, interface.</param>
    /// <param name="monitor">Adjusts the monitor's common settings.</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddAwsSecondaryIp(this IClusterProBuilder builder, string group, string name, Action<AwsSecondaryIpOptions> configure, Action<MonitorOptions>? monitor = null) =>
        AddAwsResource(builder, group, name, configure, monitor, AwsSecondaryIpKind.Instance);

    /// <summary>
    /// Adds an AWS DNS resource to <paramref name="group"/> and its monitor (<c>awsdns1</c> → <c>awsdnsw1</c>), with the
    /// Route 53 client (its endpoint and credentials from <see cref="ClusterProAwsOptions"/>, set with <see cref="AddAws"/>).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="group">The failover group.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="configure">Zone, record name, IPs, TTL.</param>
    /// <param name="monitor">Adjusts the monitor's common settings (its start wait should exceed Route 53 propagation).</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddAwsDns(this IClusterProBuilder builder, string group, string name, Action<AwsDnsOptions> configure, Action<MonitorOptions>? monitor = null) =>
        AddAwsResource(builder, group, name, configure, monitor, AwsDnsKind.Instance);

    /// <summary>Adds an AWS AZ monitor (recovery target LocalServer by default; each node watches its own zone).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The monitor name (e.g. <c>awsazw1</c>).</param>
    /// <param name="configure">The zone per node.</param>
    /// <param name="monitor">Adjusts the monitor's common settings.</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddAwsAzMonitor(this IClusterProBuilder builder, string name, Action<AwsAzMonitorOptions> configure, Action<MonitorOptions>? monitor = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddAws();
        AddValidatedOptions<AwsAzMonitorOptions>(builder.Services, name, $"{ClusterProOptions.SectionName}:Monitors:{name}", configure, (o, path, nodes, errors) =>
        {
            Resources.PerNodeSetting.Validate(o.AvailabilityZone, $"{path}:AvailabilityZone", nodes, required: true, errors);
        });
        builder.AddMonitor(
            name,
            sp => new AwsAzMonitor(name, sp.Options<AwsAzMonitorOptions>(name), sp.GetRequiredService<IAmazonEC2>(), sp.Time(), sp.Logger<AwsAzMonitor>()),
            m =>
            {
                m.Recovery.TargetKind = RecoveryTargetKind.LocalServer;
                monitor?.Invoke(m);
            });
        builder.Services.AddSingleton<IAwsIamPolicyContributor>(_ => new AzPolicy());
        return builder;
    }

    /// <summary>Adds AWS fencing (EC2 StopInstances with Force on the lost peer) as the cluster's <see cref="ClusterPro.Failover.IFencingAgent"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Each node's instance ID, timeouts.</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddAwsFencing(this IClusterProBuilder builder, Action<Fencing.AwsFencingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddAws();
        AddValidatedOptions<Fencing.AwsFencingOptions>(builder.Services, Microsoft.Extensions.Options.Options.DefaultName, $"{ClusterProOptions.SectionName}:Fencing", configure, (o, path, nodes, errors) =>
        {
            AwsSettingChecks.CheckId(o.InstanceId, $"{path}:InstanceId", "i", nodes, errors);
            AwsSettingChecks.CheckOnePerNode(o.InstanceId, $"{path}:InstanceId", "instance", nodes, errors);
            if (o.StopTimeout <= TimeSpan.Zero || o.PollInterval <= TimeSpan.Zero)
            {
                errors.Add($"{path}:StopTimeout and PollInterval must be positive (e.g. \"00:02:00\" and \"00:00:01\").");
            }
        });
        builder.Services.TryAddSingleton<ClusterPro.Failover.IFencingAgent>(sp => new Fencing.AwsInstanceFencing(
            sp.GetRequiredService<IOptions<Fencing.AwsFencingOptions>>().Value, sp.GetRequiredService<IAmazonEC2>(), sp.Time(), sp.Logger<Fencing.AwsInstanceFencing>()));
        builder.Services.AddSingleton<IAwsIamPolicyContributor>(sp => new Fencing.FencingPolicy(sp.GetRequiredService<IOptions<Fencing.AwsFencingOptions>>().Value, sp));
        return builder;
    }

    /// <summary>The monitor name ClusterPro gives a resource's monitor: <c>awsvip1</c> → <c>awsvipw1</c>.</summary>
    /// <param name="resourceName">The resource name.</param>
    /// <returns>The monitor name.</returns>
    public static string MonitorNameFor(string resourceName)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceName);
        var i = resourceName.Length;
        while (i > 0 && char.IsAsciiDigit(resourceName[i - 1]))
        {
            i--;
        }

        return string.Concat(resourceName.AsSpan(0, i), "w", resourceName.AsSpan(i));
    }

    internal static void ConfigureClient(ClientConfig config, IServiceProvider sp, string serviceId)
    {
        var settings = sp.GetService<IOptions<ClusterProAwsOptions>>()?.Value ?? new ClusterProAwsOptions();
        config.RetryMode = settings.RetryMode;
        config.MaxErrorRetry = settings.MaxErrorRetry;
        if (settings.Timeout is { } timeout)
        {
            config.Timeout = timeout;
        }

        var endpoint = Environment.GetEnvironmentVariable($"AWS_ENDPOINT_URL_{serviceId.ToUpperInvariant()}")
            ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL");
        if (string.IsNullOrWhiteSpace(endpoint) && string.IsNullOrEmpty(config.ServiceURL))
        {
            return;
        }

        var region = config.RegionEndpoint?.SystemName
            ?? sp.GetService<AWSOptions>()?.Region?.SystemName
            ?? Environment.GetEnvironmentVariable("AWS_REGION")
            ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION");
        if (!string.IsNullOrWhiteSpace(endpoint) && string.IsNullOrEmpty(config.ServiceURL))
        {
            config.ServiceURL = endpoint;
        }

        if (region is not null && string.IsNullOrEmpty(config.AuthenticationRegion))
        {
            // With an endpoint override the SDK would otherwise sign for us-east-1.
            config.AuthenticationRegion = region;
        }
    }

    /// <summary>
    /// The Route 53 client (<see cref="IAmazonRoute53"/> over the named HTTP client), set up by
    /// <see cref="ClusterProAwsOptions"/>: its endpoint, credentials and retries.
    /// </summary>
    internal static void AddRoute53Client(IServiceCollection services)
    {
        services.AddHttpClient(Route53HttpClientName);
        services.TryAddSingleton<IAmazonRoute53>(sp =>
        {
            var settings = sp.GetService<IOptions<ClusterProAwsOptions>>()?.Value ?? new ClusterProAwsOptions();
            var config = AmazonRoute53Config.FromEnvironment();
            config.MaxErrorRetry = settings.MaxErrorRetry;
            if (settings.Route53Endpoint is { } endpoint)
            {
                config.ServiceURL = endpoint;
            }

            var credentials = settings.Route53Credentials
                ?? (sp.GetService<AWSOptions>() is { } aws ? aws.Credentials ?? aws.GetCredentials() : null);
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(Route53HttpClientName);
            if (settings.Timeout is { } timeout)
            {
                http.Timeout = timeout;
            }

            return new AmazonRoute53Client(http, config, credentials, sp.Time());
        });
    }

    /// <summary>The one registration every AWS resource goes through: validated named options, the resource, its monitor, its IAM statements.</summary>
    internal static IClusterProBuilder AddAwsResource<TOptions, TResource>(
        IClusterProBuilder builder, string group, string name, Action<TOptions> configure, Action<MonitorOptions>? monitor, AwsResourceKind<TOptions, TResource> kind)
        where TOptions : AwsResourceOptions
        where TResource : class, IGroupResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        builder.AddAws();
        kind.Services?.Invoke(builder.Services);
        var path = $"{ClusterProOptions.SectionName}:Groups:{group}:Resources:{name}";
        var monitorName = MonitorNameFor(name);
        AddValidatedOptions<TOptions>(
            builder.Services,
            name,
            path,
            configure,
            kind.Rules,
            (o, cluster, errors) =>
            {
                // An activation must outlast three AWS calls, and a monitor check at least one.
                var resource = cluster.Groups.TryGetValue(group, out var g) ? g.FindResource(name) : null;
                if (resource is not null && resource.ActivationTimeout <= 3 * o.AwsCallTimeout)
                {
                    errors.Add($"{path}:ActivationTimeout is {resource.ActivationTimeout}, not longer than three AWS calls (3 × AwsCallTimeout {o.AwsCallTimeout} = {3 * o.AwsCallTimeout}); raise ActivationTimeout or lower AwsCallTimeout.");
                }

                if (cluster.Monitors.TryGetValue(monitorName, out var m) && m.Timeout < o.AwsCallTimeout)
                {
                    errors.Add($"{ClusterProOptions.SectionName}:Monitors:{monitorName}:Timeout is {m.Timeout}, shorter than one AWS call ({path}:AwsCallTimeout {o.AwsCallTimeout}); raise the monitor timeout or lower AwsCallTimeout.");
                }
            });
        builder.Services.AddKeyedSingleton(name, (sp, _) => kind.CreateResource(sp, name, sp.Options<TOptions>(name)));
        builder.AddGroupResource(group, name, sp => sp.GetRequiredKeyedService<TResource>(name));
        builder.AddMonitor(
            monitorName,
            sp => kind.CreateMonitor(sp, monitorName, sp.GetRequiredKeyedService<TResource>(name), sp.Options<TOptions>(name)),
            m => WhileActive(m, name, monitor));
        builder.Services.AddSingleton(sp => kind.Policy(sp, sp.Options<TOptions>(name)));
        return builder;
    }

    private static void AddValidatedOptions<TOptions>(
        IServiceCollection services,
        string name,
        string path,
        Action<TOptions> configure,
        Action<TOptions, string, IReadOnlyList<string>, List<string>> rules,
        Action<TOptions, ClusterProOptions, List<string>>? crossChecks = null)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<TOptions>(name).Configure(configure).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(sp => new AwsOptionsValidator<TOptions>(name, path, () => ClusterForChecks(sp), rules, crossChecks));
    }

    /// <summary>
    /// The cluster's settings for the AWS checks: validated when they are valid; else as configured, so that the AWS
    /// settings are still checked and reported beside the cluster's own problems (which its validator reports once).
    /// </summary>
    internal static ClusterProOptions ClusterForChecks(IServiceProvider sp)
    {
        try
        {
            return sp.GetRequiredService<IOptions<ClusterProOptions>>().Value;
        }
        catch (OptionsValidationException)
        {
            var options = new ClusterProOptions();
            foreach (var configure in sp.GetServices<IConfigureOptions<ClusterProOptions>>())
            {
                if (configure is IConfigureNamedOptions<ClusterProOptions> named)
                {
                    named.Configure(Microsoft.Extensions.Options.Options.DefaultName, options);
                }
                else
                {
                    configure.Configure(options);
                }
            }

            foreach (var post in sp.GetServices<IPostConfigureOptions<ClusterProOptions>>())
            {
                post.PostConfigure(Microsoft.Extensions.Options.Options.DefaultName, options);
            }

            return options;
        }
    }

    private static void WhileActive(MonitorOptions m, string resource, Action<MonitorOptions>? extra)
    {
        m.Timing = MonitorTiming.WhileActive;
        m.TargetResource = resource;
        m.Recovery.Target = resource;
        extra?.Invoke(m);
    }

    /// <summary>The name of the <c>IHttpClientFactory</c> client the Route 53 client uses (configure proxies on it).</summary>
    public const string Route53HttpClientName = "ClusterPro.Route53";

    private sealed class AwsMarker;

    /// <summary>
    /// The Linux manager for every node, registered by <see cref="AddAws"/> until something more specific is: a host's own
    /// provider, or <c>ClusterPro:HostAddresses</c> (<see cref="AwsConfigurationCompositionExtensions.AddAwsFromConfiguration"/>
    /// replaces it, whenever <see cref="AddAws"/> ran first).
    /// </summary>
    internal sealed class DefaultHostAddressManagerProvider : IHostAddressManagerProvider
    {
        private readonly LinuxHostAddressManager _linux = new();

        public IHostAddressManager ForNode(string nodeName) => _linux;
    }
}
