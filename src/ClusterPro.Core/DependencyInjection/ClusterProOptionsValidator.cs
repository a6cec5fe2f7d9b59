using ClusterPro.Groups;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.DependencyInjection;

/// <summary>Checks the whole cluster configuration at start and reports every problem at once, each naming the setting and the fix.</summary>
internal sealed class ClusterProOptionsValidator : IValidateOptions<ClusterProOptions>
{
    private const string Root = ClusterProOptions.SectionName;
    private const int MaxNodes = 64;
    private readonly IServiceProviderIsKeyedService? _keyed;

    private readonly IServiceProvider _services;
    private readonly ConfiguredTypes? _types;

    public ClusterProOptionsValidator(IServiceProvider services)
    {
        _services = services;
        _keyed = services.GetService<IServiceProviderIsKeyedService>();
        _types = services.GetService<ConfiguredTypes>();
    }

    public ValidateOptionsResult Validate(string? name, ClusterProOptions options)
    {
        var errors = new List<string>();
        ValidateNodes(options, errors);
        var resourceNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (groupName, group) in options.Groups)
        {
            ValidateGroup(options, groupName, group, resourceNames, errors);
        }

        foreach (var (monitorName, monitor) in options.Monitors)
        {
            ValidateMonitor(options, monitorName, monitor, errors);
        }

        ValidateFailover(options, errors);

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateNodes(ClusterProOptions options, List<string> errors)
    {
        if (options.Nodes.Count == 0)
        {
            errors.Add($"{Root}:Nodes is empty; list the cluster's nodes in priority order (the first is the master), e.g. [{{\"Name\":\"node1\"}},{{\"Name\":\"node2\"}}].");
        }

        if (options.Nodes.Count > MaxNodes)
        {
            errors.Add($"{Root}:Nodes lists {options.Nodes.Count} nodes; a cluster has at most {MaxNodes}. Split it into several clusters.");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Nodes.Count; i++)
        {
            var node = options.Nodes[i].Name;
            if (string.IsNullOrWhiteSpace(node))
            {
                errors.Add($"{Root}:Nodes:{i}:Name is empty; give every node a name.");
            }
            else if (!seen.Add(node))
            {
                errors.Add($"{Root}:Nodes:{i}:Name '{node}' appears twice; node names must be unique.");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.Node) && options.Nodes.Count > 0 && !options.NodeNames.Contains(options.Node, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"{Root}:Node is '{options.Node}', which is not a cluster node ({string.Join(", ", options.NodeNames)}); set it to one of them (or --node), or leave it empty to find the node from the instance's identity.");
        }
    }

    private void ValidateGroup(ClusterProOptions options, string groupName, GroupOptions group, HashSet<string> resourceNames, List<string> errors)
    {
        var path = $"{Root}:Groups:{groupName}";
        foreach (var node in group.Nodes)
        {
            if (!options.NodeNames.Contains(node, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{path}:Nodes names '{node}', which is not a cluster node ({string.Join(", ", options.NodeNames)}); fix the name or add the node to {Root}:Nodes.");
            }
        }

        for (var i = 0; i < group.Resources.Count; i++)
        {
            var resource = group.Resources[i];
            var rpath = $"{path}:Resources:{i}";
            if (string.IsNullOrWhiteSpace(resource.Name))
            {
                errors.Add($"{rpath}:Name is empty; name the resource as it was registered in code.");
                continue;
            }

            rpath = $"{path}:Resources:{resource.Name}";
            if (!resourceNames.Add(resource.Name))
            {
                errors.Add($"{rpath}: resource '{resource.Name}' is configured twice; a resource belongs to exactly one group.");
            }

            if (_keyed is not null && !_keyed.IsKeyedService(typeof(IGroupResource), resource.Name) && _types?.IsUnknown(ConfiguredTypeSection.Resources, resource.Name) != true)
            {
                errors.Add($"{rpath}: no implementation is registered for resource '{resource.Name}'; register it in code (e.g. builder.AddGroupResource(\"{groupName}\", \"{resource.Name}\", …) or builder.AddAwsVirtualIp(\"{resource.Name}\", …)) or remove it from the configuration.");
            }

            CheckRange(errors, $"{rpath}:ActivationRetryThreshold", resource.ActivationRetryThreshold, 0, 99);
            CheckRange(errors, $"{rpath}:FailoverThreshold", resource.FailoverThreshold, 0, 99);
            CheckRange(errors, $"{rpath}:DeactivationRetryThreshold", resource.DeactivationRetryThreshold, 0, 99);
            CheckPositive(errors, $"{rpath}:ActivationTimeout", resource.ActivationTimeout);
            CheckPositive(errors, $"{rpath}:DeactivationTimeout", resource.DeactivationTimeout);
        }

        try
        {
            DependencyOrder.Resolve(group.Resources.Where(r => !string.IsNullOrWhiteSpace(r.Name)).Select(r => (r.Name, (IEnumerable<string>)r.DependsOn)).ToList(), groupName);
        }
        catch (InvalidOperationException ex)
        {
            errors.Add(ex.Message);
        }
    }

    private void ValidateMonitor(ClusterProOptions options, string monitorName, MonitorOptions monitor, List<string> errors)
    {
        var path = $"{Root}:Monitors:{monitorName}";
        if (_keyed is not null && !_keyed.IsKeyedService(typeof(IMonitorResource), monitorName) && _types?.IsUnknown(ConfiguredTypeSection.Monitors, monitorName) != true)
        {
            errors.Add($"{path}: no implementation is registered for monitor '{monitorName}'; register it in code (builder.AddMonitor(\"{monitorName}\", …)) or remove it from the configuration.");
        }

        CheckPositive(errors, $"{path}:Interval", monitor.Interval);
        CheckPositive(errors, $"{path}:Timeout", monitor.Timeout);
        CheckRange(errors, $"{path}:RetryCount", monitor.RetryCount, 0, 999);
        if (monitor.StartDelay < TimeSpan.Zero)
        {
            errors.Add($"{path}:StartDelay is {monitor.StartDelay}; use zero or a positive time span such as \"00:01:00\".");
        }

        if (monitor.Timing == MonitorTiming.WhileActive)
        {
            if (string.IsNullOrWhiteSpace(monitor.TargetResource))
            {
                errors.Add($"{path}:TargetResource is empty but Timing is WhileActive; name the resource whose activity gates this monitor, or set Timing to Always.");
            }
            else if (options.FindGroupOf(monitor.TargetResource) is null)
            {
                errors.Add($"{path}:TargetResource '{monitor.TargetResource}' is not a resource of any group; fix the name.");
            }
        }

        var recovery = monitor.Recovery;
        CheckRange(errors, $"{path}:Recovery:ReactivationThreshold", recovery.ReactivationThreshold, 0, 99);
        CheckRange(errors, $"{path}:Recovery:FailoverThreshold", recovery.FailoverThreshold, 0, 99);
        var target = recovery.Target ?? monitor.TargetResource;
        switch (recovery.TargetKind)
        {
            case RecoveryTargetKind.Resource when string.IsNullOrWhiteSpace(target):
                errors.Add($"{path}:Recovery:Target is empty; name the resource to recover, or set Recovery:TargetKind to Group or LocalServer.");
                break;
            case RecoveryTargetKind.Resource when options.FindGroupOf(target!) is null:
                errors.Add($"{path}:Recovery:Target '{target}' is not a resource of any group; fix the name.");
                break;
            case RecoveryTargetKind.Group when string.IsNullOrWhiteSpace(target) || !options.Groups.ContainsKey(target):
                errors.Add($"{path}:Recovery:Target '{target}' is not a group ({string.Join(", ", options.Groups.Keys)}); fix the name.");
                break;
        }
    }

    private void ValidateFailover(ClusterProOptions options, List<string> errors)
    {
        var hb = options.Heartbeat;
        CheckPositive(errors, $"{Root}:Heartbeat:Interval", hb.Interval);
        CheckPositive(errors, $"{Root}:Heartbeat:Timeout", hb.Timeout);
        if (hb.Interval > TimeSpan.Zero && hb.Timeout > TimeSpan.Zero && hb.Timeout <= hb.Interval)
        {
            errors.Add($"{Root}:Heartbeat:Timeout ({hb.Timeout}) must be longer than {Root}:Heartbeat:Interval ({hb.Interval}); use several intervals, e.g. an interval of 1 s and a timeout of 5 s.");
        }

        CheckPositive(errors, $"{Root}:Heartbeat:MaxClockSkew", hb.MaxClockSkew);
        var hosted = _services.GetService<IServiceProviderIsService>()?.IsService(typeof(Hosting.ClusterProNode)) == true;
        if (hosted && hb.Endpoints.Count == 0)
        {
            errors.Add($"{Root}:Heartbeat:Endpoints is empty, but this process hosts a node; give every node its heartbeat address, e.g. \"Endpoints\": {{ \"node1\": \"10.0.110.100:5405\", \"node2\": \"10.0.120.101:5405\" }}.");
        }

        // A node that runs heartbeats needs the key; a bad one is an error wherever it is set.
        if (hosted || !string.IsNullOrEmpty(hb.Key) || hb.Endpoints.Count > 0)
        {
            try
            {
                hb.ResolveKey();
            }
            catch (InvalidOperationException ex)
            {
                errors.Add(ex.Message);
            }
        }

        if (hb.Endpoints.Count > 0)
        {
            foreach (var node in options.NodeNames.Where(n => !hb.Endpoints.ContainsKey(n)))
            {
                errors.Add($"{Root}:Heartbeat:Endpoints has no endpoint for node '{node}'; add \"{node}\": \"<address>:<port>\".");
            }

            foreach (var (node, endpoint) in hb.Endpoints)
            {
                if (!System.Net.IPEndPoint.TryParse(endpoint, out var parsed) || parsed.Port == 0)
                {
                    errors.Add($"{Root}:Heartbeat:Endpoints:{node} is '{endpoint}'; use address:port, e.g. 10.0.110.100:5405.");
                }
            }
        }

        for (var i = 0; i < options.NetworkPartition.Http.Count; i++)
        {
            var http = options.NetworkPartition.Http[i];
            if (string.IsNullOrWhiteSpace(http.Host))
            {
                errors.Add($"{Root}:NetworkPartition:Http:{i}:Host is empty; set the target every node should reach, e.g. aws.amazon.com.");
            }

            CheckRange(errors, $"{Root}:NetworkPartition:Http:{i}:Port", http.Port, 1, 65535);
            CheckPositive(errors, $"{Root}:NetworkPartition:Http:{i}:Timeout", http.Timeout);
        }

        CheckRange(errors, $"{Root}:NetworkPartition:Attempts", options.NetworkPartition.Attempts, 1, 10);
        CheckPositive(errors, $"{Root}:NetworkPartition:RetryInterval", options.NetworkPartition.RetryInterval);
        CheckPositive(errors, $"{Root}:Failover:FenceRetryInterval", options.Failover.FenceRetryInterval);
        CheckPositive(errors, $"{Root}:Failover:StopTimeout", options.Failover.StopTimeout);
        if (options.Failover.FenceRetryMax < options.Failover.FenceRetryInterval)
        {
            errors.Add($"{Root}:Failover:FenceRetryMax ({options.Failover.FenceRetryMax}) is shorter than {Root}:Failover:FenceRetryInterval ({options.Failover.FenceRetryInterval}); use a longer maximum, e.g. \"00:00:30\".");
        }

        for (var i = 0; i < options.NetworkPartition.Http.Count; i++)
        {
            var http = options.NetworkPartition.Http[i];
            if (!string.IsNullOrWhiteSpace(http.Host) && Uri.CheckHostName(http.Host) == UriHostNameType.Unknown)
            {
                errors.Add($"{Root}:NetworkPartition:Http:{i}:Host '{http.Host}' is not a host name or address; use a name such as aws.amazon.com or an IP address, without scheme, port or path.");
            }

            if (!string.IsNullOrEmpty(http.Path) && !Uri.IsWellFormedUriString(http.Path.StartsWith('/') ? http.Path : "/" + http.Path, UriKind.Relative))
            {
                errors.Add($"{Root}:NetworkPartition:Http:{i}:Path '{http.Path}' is not a URL path; use a path such as /.");
            }
        }

        var witness = options.Witness;
        if (witness.Enabled)
        {
            CheckPositive(errors, $"{Root}:Witness:AwsCallTimeout", witness.AwsCallTimeout);
            // The owner renews every third of the lease and lets go a witness call and a heartbeat interval before it
            // runs out; its decision loop may run up to a heartbeat interval late (a busy or paused process). Shorter,
            // and a healthy owner loses its lease now and then and the group flaps (simulator seed 44961).
            if (witness.LeaseDuration < 3 * (witness.AwsCallTimeout + options.Heartbeat.Interval))
            {
                errors.Add($"{Root}:Witness:LeaseDuration ({witness.LeaseDuration}) leaves no room to renew: it must be at least three witness calls ({Root}:Witness:AwsCallTimeout {witness.AwsCallTimeout}) plus three heartbeat intervals ({Root}:Heartbeat:Interval {options.Heartbeat.Interval}), {3 * (witness.AwsCallTimeout + options.Heartbeat.Interval)}; raise LeaseDuration (e.g. \"00:00:10\") or lower AwsCallTimeout.");
            }

            if (string.IsNullOrWhiteSpace(witness.Table))
            {
                errors.Add($"{Root}:Witness:Table is empty but {Root}:Witness:Type is '{witness.Type}'; name the table that holds the leases (create it with the sample host's witness-init).");
            }

            if (_services.GetService<IServiceProviderIsService>() is { } registry && !registry.IsService(typeof(Witness.IGroupLeaseStore)))
            {
                errors.Add($"{Root}:Witness:Type is '{witness.Type}' but no lease store is registered; call AddAwsFromConfiguration (for 'dynamodb') or register an IGroupLeaseStore, or remove {Root}:Witness.");
            }
        }

        if (options.Failover.FenceDelay < TimeSpan.Zero)
        {
            errors.Add($"{Root}:Failover:FenceDelay is {options.Failover.FenceDelay}; use zero or a positive time span.");
        }
    }

    private static void CheckRange(List<string> errors, string setting, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{setting} is {value}; use a value from {min} to {max}.");
        }
    }

    private static void CheckPositive(List<string> errors, string setting, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{setting} is {value}; use a positive time span such as \"00:00:30\".");
        }
    }
}
