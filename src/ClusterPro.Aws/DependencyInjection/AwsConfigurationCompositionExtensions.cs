using ClusterPro.Aws.Discovery;
using ClusterPro.Aws.Host;
using ClusterPro.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClusterPro.Aws.DependencyInjection;

/// <summary>Composes the AWS resources, monitors and fencing named in configuration.</summary>
public static class AwsConfigurationCompositionExtensions
{
    /// <summary>
    /// Registers every AWS resource in <c>ClusterPro:Groups:*:Resources</c> by its <c>Type</c> (<c>awsvip</c>,
    /// <c>awseip</c>, <c>awsdns</c>, <c>awssip</c>), every monitor in <c>ClusterPro:Monitors</c> of type <c>awsazw</c>,
    /// fencing in <c>ClusterPro:Fencing</c> (<c>Type</c> <c>aws</c>), the witness in <c>ClusterPro:Witness</c> (<c>Type</c>
    /// <c>dynamodb</c>: <see cref="DynamoDbWitnessBuilderExtensions.AddDynamoDbWitness"/>), the hosted node's identity from
    /// instance metadata in <c>ClusterPro:NodeIdentity</c> (<c>Type</c> <c>imds</c>), and the per-node host address
    /// managers in <c>ClusterPro:HostAddresses</c>. Each entry's settings bind onto its options.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The configuration root.</param>
    /// <returns>The builder.</returns>
    /// <remarks>Other types are left to other composers (ClusterPro.Applications' <c>AddApplicationsFromConfiguration</c>: <c>exec</c>,
    /// <c>systemd</c> …; see <see cref="ConfiguredTypeBuilderExtensions.AddConfiguredTypes"/>). A type that no composer handles, or an
    /// unknown host address <c>Kind</c>, is reported with every other problem when the settings are validated at start-up
    /// (<see cref="Microsoft.Extensions.Options.OptionsValidationException"/>), naming the setting.</remarks>
    public static IClusterProBuilder AddAwsFromConfiguration(this IClusterProBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        var root = configuration.GetSection(ClusterProOptions.SectionName);
        var problems = new List<string>();
        builder.AddAws();
        foreach (var group in root.GetSection("Groups").GetChildren())
        {
            foreach (var resource in group.GetSection("Resources").GetChildren())
            {
                var name = resource["Name"];
                var type = resource["Type"];
                if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(type))
                {
                    continue;
                }

                switch (type.ToLowerInvariant())
                {
                    case "awsvip":
                        builder.AddAwsVirtualIp(group.Key, name, o => resource.Bind(o));
                        break;
                    case "awseip":
                        builder.AddAwsElasticIp(group.Key, name, o => resource.Bind(o));
                        break;
                    case "awsdns":
                        builder.AddAwsDns(group.Key, name, o => resource.Bind(o));
                        break;
                    case "awssip":
                        builder.AddAwsSecondaryIp(group.Key, name, o => resource.Bind(o));
                        break;
                    default:
                        // Another composer's type (exec, systemd …), or nobody's: checked at start-up against every declared type.
                        break;
                }
            }
        }

        foreach (var monitor in root.GetSection("Monitors").GetChildren())
        {
            var type = monitor["Type"];
            if (string.Equals(type, "awsazw", StringComparison.OrdinalIgnoreCase))
            {
                builder.AddAwsAzMonitor(monitor.Key, o => monitor.Bind(o));
            }
        }

        // Resource monitors (awsvipw1 …) come with their resources; other types are other composers'.
        builder.AddConfiguredTypes(configuration, ConfiguredTypeSection.Resources, "awsvip", "awseip", "awsdns", "awssip");
        builder.AddConfiguredTypes(configuration, ConfiguredTypeSection.Monitors, "awsazw");

        var fencing = root.GetSection("Fencing");
        if (string.Equals(fencing["Type"], "aws", StringComparison.OrdinalIgnoreCase))
        {
            builder.AddAwsFencing(o => fencing.Bind(o));
        }

        var witness = root.GetSection("Witness");
        if (string.Equals(witness["Type"]?.Trim(), DynamoDbWitnessBuilderExtensions.WitnessType, StringComparison.OrdinalIgnoreCase))
        {
            builder.AddDynamoDbWitness(o => witness.Bind(o));
        }
        else if (!string.IsNullOrWhiteSpace(witness["Type"]))
        {
            // Another type needs the host's own lease store; without one, start-up names the valid types.
            DynamoDbWitnessBuilderExtensions.AddWitnessChecks(builder.Services);
        }

        var identity = root.GetSection("NodeIdentity");
        if (identity["Type"] is { } identityType)
        {
            if (string.Equals(identityType, "imds", StringComparison.OrdinalIgnoreCase))
            {
                builder.AddNodeFromInstanceMetadata(o => identity.Bind(o));
            }
            else
            {
                problems.Add($"{identity.Path}:Type is '{identityType}'; use imds (the node whose instance ID is this instance's), or remove it and set ClusterPro:Node.");
            }
        }

        var hosts = root.GetSection("HostAddresses").GetChildren().ToDictionary(
            n => n.Key,
            n => n.Get<HostAddressOptions>() ?? new HostAddressOptions(),
            StringComparer.OrdinalIgnoreCase);
        if (hosts.Count > 0)
        {
            foreach (var (node, options) in hosts)
            {
                if (options.Kind is not ("linux" or "none" or "memory"))
                {
                    problems.Add($"ClusterPro:HostAddresses:{node}:Kind is '{options.Kind}'; use linux, none or memory.");
                }

                if (options.Namespace is not null && LinuxHostAddressManager.NamespaceProblem(options.Namespace) is { } problem)
                {
                    problems.Add($"ClusterPro:HostAddresses:{node}:Namespace '{options.Namespace}' {problem}");
                }
            }

            // AddAws (above, or the host's own call before this one) registered the Linux manager for every node as a
            // default: the configured kinds replace it. A provider the host registered itself still wins.
            var services = builder.Services;
            var defaults = services.Where(d => d.ServiceType == typeof(IHostAddressManagerProvider) && d.ImplementationType == typeof(AwsClusterProBuilderExtensions.DefaultHostAddressManagerProvider)).ToList();
            foreach (var d in defaults)
            {
                services.Remove(d);
            }

            services.TryAddSingleton<IHostAddressManagerProvider>(new ConfiguredHostAddressManagerProvider(hosts));
        }

        if (problems.Count > 0)
        {
            builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ClusterProOptions>>(new CompositionProblems(problems));
        }

        return builder;
    }

    private sealed class ConfiguredHostAddressManagerProvider(IReadOnlyDictionary<string, HostAddressOptions> nodes) : IHostAddressManagerProvider
    {
        private readonly MemoryHostAddressManager _memory = new();

        public IHostAddressManager ForNode(string nodeName)
        {
            var options = nodes.TryGetValue(nodeName, out var o) ? o : new HostAddressOptions();
            return options.Kind switch
            {
                "none" => new NoOpHostAddressManager(),
                "memory" => _memory.ForNode(nodeName),
                _ => new LinuxHostAddressManager(options.Namespace),
            };
        }
    }
}
