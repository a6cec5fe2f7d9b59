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
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ClusterPro.Aws.DependencyInjection;

/// <summary>How ClusterPro's AWS clients are set up (the SDK's own <c>AWS</c> section and credential chain still apply).</summary>
public sealed class ClusterProAwsOptions
{
    /// <summary>The SDK's retry mode for throttling and 5xx. <value>Default: <see cref="RequestRetryMode.Standard"/>.</value></summary>
    public RequestRetryMode RetryMode { get; set; } = RequestRetryMode.Standard;

    /// <summary>Retries per call. <value>Default: 3.</value></summary>
    public int MaxErrorRetry { get; set; } = 3;
}

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
        services.TryAddSingleton<IHostAddressManagerProvider>(_ => new SingleHostAddressManagerProvider(new LinuxHostAddressManager()));
        services.TryAddSingleton<AwsIamPolicy>();
        return builder;
    }

    /// <summary>Adds an AWS Virtual IP resource to <paramref name="group"/> and its monitor (<c>awsvip1</c> → <c>awsvipw1</c>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="group">The failover group.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="configure">VIP, VPC, ENIs, interface.</param>
    /// <param name="monitor">Adjusts the monitor's common settings (it monitors while the VIP is active and reactivates it).</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddAwsVirtualIp(this IClusterProBuilder builder, string group, string name, Action<AwsVirtualIpOptions> configure, Action<MonitorOptions>? monitor = null)
    {
        Register(builder, group, name, configure, (o, path, nodes, errors) =>
        {
            AwsSettingChecks.CheckIpv4(o.Ip, $"{path}:Ip", "VIP", errors);
            AwsSettingChecks.CheckId(o.VpcId, $"{path}:VpcId", "vpc", nodes, errors);
            AwsSettingChecks.CheckId(o.EniId, $"{path}:EniId", "eni", nodes, errors);
            Resources.PerNodeSetting.Validate(o.InterfaceName, $"{path}:InterfaceName", nodes, required: true, errors);
            if (o.MaxConcurrentRouteUpdates is < 1 or > 64)
            {
                errors.Add($"{path}:MaxConcurrentRouteUpdates is {o.MaxConcurrentRouteUpdates}; use 1 to 64.");
            }
        });
        builder.Services.AddKeyedSingleton(name, (sp, _) => new AwsVirtualIpResource(name, Options<AwsVirtualIpOptions>(sp, name), sp.GetRequiredService<IAmazonEC2>(), sp.GetRequiredService<IHostAddressManagerProvider>(), Time(sp), Logger<AwsVirtualIpResource>(sp)));
        builder.AddGroupResource(group, name, sp => sp.GetRequiredKeyedService<AwsVirtualIpResource>(name));
        var monitorName = MonitorNameFor(name);
        builder.AddMonitor(
            monitorName,
            sp => new AwsVirtualIpMonitor(monitorName, sp.GetRequiredKeyedService<AwsVirtualIpResource>(name), Options<AwsVirtualIpOptions>(sp, name), sp.GetRequiredService<IAmazonEC2>(), sp.GetRequiredService<IHostAddressManagerProvider>(), Time(sp), Logger<AwsVirtualIpMonitor>(sp)),
            m => WhileActive(m, name, monitor));
        builder.Services.AddSingleton<IAwsIamPolicyContributor>(sp => new VirtualIpPolicy(Options<AwsVirtualIpOptions>(sp, name), sp));
        return builder;
    }

    /// <summary>Adds an AWS Elastic IP resource to <paramref name="group"/> and its monitor (<c>awseip1</c> → <c>awseipw1</c>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="group">The failover group.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="configure">Allocation ID and ENIs.</param>
    /// <param name="monitor">Adjusts the monitor's common settings.</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddAwsElasticIp(this IClusterProBuilder builder, string group, string name, Action<AwsElasticIpOptions> configure, Action<MonitorOptions>? monitor = null)
    {
        Register(builder, group, name, configure, (o, path, nodes, errors) =>
        {
            if (string.IsNullOrWhiteSpace(o.AllocationId))
            {
                errors.Add($"{path}:AllocationId is empty; set the Elastic IP's allocation ID (eipalloc-…).");
            }

            AwsSettingChecks.CheckIdValue(o.AllocationId, $"{path}:AllocationId", "eipalloc", errors);
            AwsSettingChecks.CheckId(o.EniId, $"{path}:EniId", "eni", nodes, errors);
        });
        builder.Services.AddKeyedSingleton(name, (sp, _) => new AwsElasticIpResource(name, Options<AwsElasticIpOptions>(sp, name), sp.GetRequiredService<IAmazonEC2>(), Time(sp), Logger<AwsElasticIpResource>(sp)));
        builder.AddGroupResource(group, name, sp => sp.GetRequiredKeyedService<AwsElasticIpResource>(name));
        var monitorName = MonitorNameFor(name);
        builder.AddMonitor(
            monitorName,
            sp => new AwsElasticIpMonitor(monitorName, sp.GetRequiredKeyedService<AwsElasticIpResource>(name), Options<AwsElasticIpOptions>(sp, name), Logger<AwsElasticIpMonitor>(sp)),
            m => WhileActive(m, name, monitor));
        builder.Services.AddSingleton<IAwsIamPolicyContributor>(sp => new ElasticIpPolicy(Options<AwsElasticIpOptions>(sp, name), sp));
        return builder;
    }

    /// <summary>Adds an AWS secondary IP resource to <paramref name="group"/> and its monitor (<c>awssip1</c> → <c>awssipw1</c>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="group">The failover group.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="configure">Address, ENIs, interface.</param>
    /// <param name="monitor">Adjusts the monitor's common settings.</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddAwsSecondaryIp(this IClusterProBuilder builder, string group, string name, Action<AwsSecondaryIpOptions> configure, Action<MonitorOptions>? monitor = null)
    {
        Register(builder, group, name, configure, (o, path, nodes, errors) =>
        {
            AwsSettingChecks.CheckIpv4(o.Ip, $"{path}:Ip", "secondary IP", errors);
            AwsSettingChecks.CheckId(o.EniId, $"{path}:EniId", "eni", nodes, errors);
            Resources.PerNodeSetting.Validate(o.InterfaceName, $"{path}:InterfaceName", nodes, required: true, errors);
            if (o.PrefixLength is < 1 or > 32)
            {
                errors.Add($"{path}:PrefixLength is {o.PrefixLength}; use the subnet's prefix length (1 to 32).");
            }
        });
        builder.Services.AddKeyedSingleton(name, (sp, _) => new AwsSecondaryIpResource(name, Options<AwsSecondaryIpOptions>(sp, name), sp.GetRequiredService<IAmazonEC2>(), sp.GetRequiredService<IHostAddressManagerProvider>(), Time(sp), Logger<AwsSecondaryIpResource>(sp)));
        builder.AddGroupResource(group, name, sp => sp.GetRequiredKeyedService<AwsSecondaryIpResource>(name));
        var monitorName = MonitorNameFor(name);
        builder.AddMonitor(
            monitorName,
            sp => new AwsSecondaryIpMonitor(monitorName, sp.GetRequiredKeyedService<AwsSecondaryIpResource>(name), Options<AwsSecondaryIpOptions>(sp, name), sp.GetRequiredService<IHostAddressManagerProvider>(), Logger<AwsSecondaryIpMonitor>(sp)),
            m => WhileActive(m, name, monitor));
        builder.Services.AddSingleton<IAwsIamPolicyContributor>(sp => new SecondaryIpPolicy(Options<AwsSecondaryIpOptions>(sp, name), sp));
        return builder;
    }

    /// <summary>
    /// Adds an AWS DNS resource to <paramref name="group"/> and its monitor (<c>awsdns1</c> → <c>awsdnsw1</c>), with the
    /// Route 53 client (<see cref="IAmazonRoute53"/>; a host's own registration wins).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="group">The failover group.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="configure">Zone, record name, IPs, TTL.</param>
    /// <param name="monitor">Adjusts the monitor's common settings (its start wait should exceed Route 53 propagation).</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddAwsDns(this IClusterProBuilder builder, string group, string name, Action<AwsDnsOptions> configure, Action<MonitorOptions>? monitor = null)
    {
        Register(builder, group, name, configure, (o, path, nodes, errors) =>
        {
            if (string.IsNullOrWhiteSpace(o.HostedZoneId))
            {
                errors.Add($"{path}:HostedZoneId is empty; set the Route 53 hosted zone ID (e.g. Z0123456789ABCDEFGHIJ).");
            }
            else if (!System.Text.RegularExpressions.Regex.IsMatch(o.HostedZoneId.Replace("/hostedzone/", string.Empty, StringComparison.Ordinal), "^[A-Z0-9]{1,32}$"))
            {
                // Route 53 guarantees up to 32 upper-case letters and digits, not the leading Z of today's IDs (moto's have none).
                errors.Add($"{path}:HostedZoneId is '{o.HostedZoneId}', which is not a hosted zone ID; use the ID from the Route 53 console, up to 32 upper-case letters and digits such as Z0123456789ABCDEFGHIJ.");
            }

            if (RecordNames.Problem(o.RecordName) is { } problem)
            {
                errors.Add($"{path}:RecordName {problem}");
            }

            Resources.PerNodeSetting.Validate(o.Ip, $"{path}:Ip", nodes, required: true, errors);
            foreach (var node in nodes)
            {
                if (o.Ip.Resolve(node) is { Length: > 0 } ip)
                {
                    AwsSettingChecks.CheckIpv4(ip, $"{path}:Ip", "record", errors);
                }
            }

            if (o.Ttl is < 0 or > 2147483647)
            {
                errors.Add($"{path}:Ttl is {o.Ttl}; use 0 to 2147483647 seconds (300 by default).");
            }

            if (o.InsyncTimeout <= TimeSpan.Zero || o.InsyncPollInterval <= TimeSpan.Zero)
            {
                errors.Add($"{path}:InsyncTimeout and InsyncPollInterval must be positive (e.g. \"00:02:00\" and \"00:00:01\").");
            }

            foreach (var server in o.NameServers)
            {
                if (!System.Net.IPEndPoint.TryParse(server, out _))
                {
                    errors.Add($"{path}:NameServers has '{server}', which is not an address; use 10.0.0.2 or 127.0.0.1:5353.");
                }
            }
        });
        builder.Services.AddHttpClient(Route53HttpClientName);
        builder.Services.TryAddSingleton<IAmazonRoute53>(sp => new AmazonRoute53Client(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(Route53HttpClientName),
            AmazonRoute53Config.FromEnvironment(),
            sp.GetService<AWSOptions>() is { } aws ? aws.Credentials ?? aws.GetCredentials() : null,
            Time(sp)));
        builder.Services.AddKeyedSingleton(name, (sp, _) => new AwsDnsResource(name, Options<AwsDnsOptions>(sp, name), sp.GetRequiredService<IAmazonRoute53>(), Time(sp), Logger<AwsDnsResource>(sp)));
        builder.AddGroupResource(group, name, sp => sp.GetRequiredKeyedService<AwsDnsResource>(name));
        var monitorName = MonitorNameFor(name);
        builder.AddMonitor(
            monitorName,
            sp => new AwsDnsMonitor(monitorName, sp.GetRequiredKeyedService<AwsDnsResource>(name), Options<AwsDnsOptions>(sp, name), Logger<AwsDnsMonitor>(sp)),
            m => WhileActive(m, name, monitor));
        builder.Services.AddSingleton<IAwsIamPolicyContributor>(sp => new DnsPolicy(Options<AwsDnsOptions>(sp, name)));
        return builder;
    }

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
            AwsSettingChecks.CheckCallTimeout(o.AwsCallTimeout, $"{path}:AwsCallTimeout", errors);
        });
        builder.AddMonitor(
            name,
            sp => new AwsAzMonitor(name, Options<AwsAzMonitorOptions>(sp, name), sp.GetRequiredService<IAmazonEC2>(), Time(sp), Logger<AwsAzMonitor>(sp)),
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
            AwsSettingChecks.CheckCallTimeout(o.AwsCallTimeout, $"{path}:AwsCallTimeout", errors);
            if (o.StopTimeout <= TimeSpan.Zero || o.PollInterval <= TimeSpan.Zero)
            {
                errors.Add($"{path}:StopTimeout and PollInterval must be positive (e.g. \"00:02:00\" and \"00:00:01\").");
            }
        });
        builder.Services.TryAddSingleton<ClusterPro.Failover.IFencingAgent>(sp => new Fencing.AwsInstanceFencing(
            sp.GetRequiredService<IOptions<Fencing.AwsFencingOptions>>().Value, sp.GetRequiredService<IAmazonEC2>(), Time(sp), Logger<Fencing.AwsInstanceFencing>(sp)));
        builder.Services.AddSingleton<IAwsIamPolicyContributor>(sp => new FencingPolicy(sp.GetRequiredService<IOptions<Fencing.AwsFencingOptions>>().Value, sp));
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

    private static void Register<TOptions>(IClusterProBuilder builder, string group, string name, Action<TOptions> configure, Action<TOptions, string, IReadOnlyList<string>, List<string>> rules)
        where TOptions : AwsResourceOptions
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        builder.AddAws();
        var path = $"{ClusterProOptions.SectionName}:Groups:{group}:Resources:{name}";
        AddValidatedOptions<TOptions>(
            builder.Services,
            name,
            path,
            configure,
            (o, p, nodes, errors) =>
            {
                rules(o, p, nodes, errors);
                AwsSettingChecks.CheckCallTimeout(o.AwsCallTimeout, $"{p}:AwsCallTimeout", errors);
            },
            (o, cluster, errors) =>
            {
                // An activation must outlast three AWS calls, and a monitor check at least one.
                var resource = cluster.Groups.TryGetValue(group, out var g) ? g.FindResource(name) : null;
                if (resource is not null && resource.ActivationTimeout <= 3 * o.AwsCallTimeout)
                {
                    errors.Add($"{path}:ActivationTimeout is {resource.ActivationTimeout}, not longer than three AWS calls (3 × AwsCallTimeout {o.AwsCallTimeout} = {3 * o.AwsCallTimeout}); raise ActivationTimeout or lower AwsCallTimeout.");
                }

                var monitor = MonitorNameFor(name);
                if (cluster.Monitors.TryGetValue(monitor, out var m) && m.Timeout < o.AwsCallTimeout)
                {
                    errors.Add($"{ClusterProOptions.SectionName}:Monitors:{monitor}:Timeout is {m.Timeout}, shorter than one AWS call ({path}:AwsCallTimeout {o.AwsCallTimeout}); raise the monitor timeout or lower AwsCallTimeout.");
                }
            });
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
        services.AddSingleton<IValidateOptions<TOptions>>(sp => new NamedValidator<TOptions>(name, path, sp.GetRequiredService<IOptions<ClusterProOptions>>(), rules, crossChecks));
    }

    private static void WhileActive(MonitorOptions m, string resource, Action<MonitorOptions>? extra)
    {
        m.Timing = MonitorTiming.WhileActive;
        m.TargetResource = resource;
        m.Recovery.Target = resource;
        extra?.Invoke(m);
    }

    private static T Options<T>(IServiceProvider sp, string name)
        where T : class => sp.GetRequiredService<IOptionsMonitor<T>>().Get(name);

    private static TimeProvider Time(IServiceProvider sp) => sp.GetService<TimeProvider>() ?? TimeProvider.System;

    private static ILogger<T> Logger<T>(IServiceProvider sp) => sp.GetService<ILogger<T>>() ?? NullLogger<T>.Instance;

    /// <summary>The name of the <c>IHttpClientFactory</c> client the Route 53 client uses (configure proxies on it).</summary>
    public const string Route53HttpClientName = "ClusterPro.Route53";

    private sealed class AwsMarker;

    private sealed class NamedValidator<TOptions>(
        string name,
        string path,
        IOptions<ClusterProOptions> cluster,
        Action<TOptions, string, IReadOnlyList<string>, List<string>> rules,
        Action<TOptions, ClusterProOptions, List<string>>? crossChecks) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? optionsName, TOptions options)
        {
            if (!string.Equals(optionsName, name, StringComparison.Ordinal))
            {
                return ValidateOptionsResult.Skip;
            }

            var errors = new List<string>();
            rules(options, path, cluster.Value.NodeNames, errors);
            crossChecks?.Invoke(options, cluster.Value, errors);
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

/// <summary>Binding AWS resource settings from configuration.</summary>
public static class AwsConfigurationExtensions
{
    /// <summary>Binds <paramref name="section"/> onto the options (for use as the <c>configure</c> argument).</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="section">The section (e.g. <c>ClusterPro:Groups:failover1:Resources:0</c>).</param>
    /// <returns>A configure action.</returns>
    public static Action<TOptions> BindFrom<TOptions>(IConfiguration section)
        where TOptions : class => o => section.Bind(o);
}
