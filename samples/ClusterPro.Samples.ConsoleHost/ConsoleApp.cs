using ClusterPro.Aws.Iam;
using ClusterPro.DependencyInjection;
using ClusterPro.Hosting;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>The sample host's commands.</summary>
public static class ConsoleApp
{
    private const string Usage = """
        Usage: dotnet run --project samples/ClusterPro.Samples.ConsoleHost -- COMMAND [options]
          demo [--witness]                                two nodes on the in-process AWS emulator: fail node1, watch node2 take over;
                                                          --witness: no fencing, a DynamoDB witness, split heartbeats, one owner
          run        --config FILE [--node NAME]          run a node as a service until SIGTERM, SIGINT or Ctrl+C, which move its
                     [--metrics-port PORT]                groups to the next node at once (exit 0); without --node, ClusterPro:Node
                                                          or the instance's own identity (ClusterPro:NodeIdentity) names the node;
                                                          --metrics-port serves the ClusterPro meter as Prometheus text on /metrics
          activate   --config FILE --node NAME [--group G] activate the groups (or one) on this node
          deactivate --config FILE --node NAME [--group G] deactivate them
          check      --config FILE --node NAME            run every monitor once (exit 0 all Normal, 1 any Warning, 2 any Error)
          doctor     --config FILE --node NAME            preflight: credentials, IDs, routes, Source/Dest. Check, zone, NP, IAM
          iam-policy --config FILE [--without-preflight]  the least-privilege IAM policy for every command (doctor's reads unless --without-preflight)
        AWS endpoints come from AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_EC2 / AWS_ENDPOINT_URL_ROUTE_53, credentials and
        region from the SDK's chain and the configuration's AWS section. Exit 64: a command line or configuration that
        cannot work, every problem listed once.
        """;

    /// <summary>Runs a command.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <returns>
    /// The exit code: the command's own (0 success), 64 for a command line or configuration that cannot work (every
    /// problem printed once, one line each, without a stack trace; nothing was started and AWS was not touched).
    /// </returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            var command = args.Length > 0 ? args[0] : "demo";
            var witness = command == "demo" && args.Skip(1).SequenceEqual(["--witness"]);
            var options = witness || command == "iam-policy" ? [] : ParseOptions(args.Skip(1).ToArray());   // iam-policy reads its own flags
            return command switch
            {
                "demo" => witness ? await WitnessDemo.RunAsync(output) : await Demo.RunAsync(output),
                "run" => await NodeHost.RunAsync(Required(options, "config"), options.GetValueOrDefault("node"), MetricsPort(options)),
                "activate" => await ActivateAsync(Required(options, "config"), Required(options, "node"), options.GetValueOrDefault("group"), activate: true, output),
                "deactivate" => await ActivateAsync(Required(options, "config"), Required(options, "node"), options.GetValueOrDefault("group"), activate: false, output),
                "check" => await CheckAsync(Required(options, "config"), Required(options, "node"), output),
                "doctor" => await Doctor.RunAsync(NodeServices.Load(Required(options, "config")), Required(options, "node"), output),
                "iam-policy" => IamPolicyCommand.Run(args[1..], output),
                "help" or "--help" or "-h" => Help(output),
                _ => throw new UsageException($"Unknown command '{command}'."),
            };
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync(ex.Message);
            await error.WriteLineAsync(Usage);
            return 64;
        }
        catch (Exception ex) when (ConfigurationProblems.Read(ex) is { } problems)
        {
            await error.WriteLineAsync($"The configuration has {problems.Count} problem{(problems.Count == 1 ? string.Empty : "s")}; nothing was started and AWS was not touched:");
            foreach (var problem in problems)
            {
                await error.WriteLineAsync("  " + problem);
            }

            return 64;
        }
#pragma warning disable CA1031 // The last resort of a command-line program: one line, no stack trace.
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            await error.WriteLineAsync($"{args.FirstOrDefault() ?? "demo"} failed: {ex.GetType().Name}: {ex.Message}");
            return 70;
        }
    }

    private static int Help(TextWriter output)
    {
        output.WriteLine(Usage);
        return 0;
    }

    private static Dictionary<string, string> ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new UsageException($"Unexpected argument '{args[i]}'.");
            }

            options[args[i][2..]] = args[++i];
        }

        return options;
    }

    private static int? MetricsPort(Dictionary<string, string> options) =>
        !options.TryGetValue("metrics-port", out var value) ? null
        : int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535 ? port
        : throw new UsageException($"--metrics-port {value} is not a TCP port; give a number from 1 to 65535.");

    private static string Required(Dictionary<string, string> options, string name) =>
        options.TryGetValue(name, out var value) ? value : throw new UsageException($"--{name} is required.");

    private static (ServiceProvider Services, ClusterProFactory Factory) Compose(string config, string node, LogLevel level)
    {
        var services = NodeServices.Build(NodeServices.Load(config), level);
        var factory = services.GetRequiredService<ClusterProFactory>();
        if (!factory.Options.NodeNames.Contains(node, StringComparer.OrdinalIgnoreCase))
        {
            services.Dispose();
            throw new UsageException($"--node {node} is not a node of ClusterPro:Nodes ({string.Join(", ", factory.Options.NodeNames)}).");
        }

        return (services, factory);
    }

    private static async Task<int> ActivateAsync(string config, string node, string? group, bool activate, TextWriter output)
    {
        var (services, factory) = Compose(config, node, LogLevel.Warning);
        await using var _ = services;
        var groups = group is not null ? [group] : factory.Options.Groups.Keys.ToList();
        var ok = true;
        foreach (var name in groups)
        {
            if (!factory.Options.Groups.ContainsKey(name))
            {
                throw new UsageException($"--group {name} is not a group ({string.Join(", ", factory.Options.Groups.Keys)}).");
            }

            var engine = factory.CreateGroup(name);
            var result = activate ? await engine.ActivateAsync(node) : await engine.DeactivateAsync(node);
            foreach (var r in result.Resources)
            {
                output.WriteLine($"{r.Name} {r.Result.Status} {r.Result.Code} {r.Result.Message}{(r.Result.Changes.Count > 0 ? " [" + string.Join("; ", r.Result.Changes) + "]" : string.Empty)}");
            }

            output.WriteLine(result.ToString());
            ok &= result.Succeeded;
        }

        return ok ? 0 : 1;
    }

    private static async Task<int> CheckAsync(string config, string node, TextWriter output)
    {
        var (services, factory) = Compose(config, node, LogLevel.Warning);
        await using var _ = services;
        var worst = MonitorStatus.Normal;
        foreach (var name in factory.Options.Monitors.Keys)
        {
            var monitor = services.GetRequiredKeyedService<IMonitorResource>(name);
            MonitorResult result;
            try
            {
                result = await monitor.CheckAsync(new MonitorContext(node, name)).WaitAsync(factory.Options.Monitors[name].Timeout);
            }
            catch (TimeoutException)
            {
                result = monitor.CreateTimeoutResult(factory.Options.Monitors[name].Timeout);
            }

            output.WriteLine($"{name} {result.Status} {result.Code} {result.Message}");
            worst = (MonitorStatus)Math.Max((int)worst, (int)result.Status);
        }

        return worst switch { MonitorStatus.Normal => 0, MonitorStatus.Warning => 1, _ => 2 };
    }
}
