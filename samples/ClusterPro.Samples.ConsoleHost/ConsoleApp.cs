using System.CommandLine;
using System.CommandLine.Invocation;
using ClusterPro.Aws.Iam;
using ClusterPro.DependencyInjection;
using ClusterPro.Failover;
using ClusterPro.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>The sample host's commands (the <c>clusterpro</c> tool), parsed by System.CommandLine.</summary>
public static class ConsoleApp
{
    /// <summary>A command line or configuration that cannot work (sysexits' EX_USAGE).</summary>
    public const int UsageExitCode = 64;

    /// <summary>An unexpected failure (sysexits' EX_SOFTWARE).</summary>
    public const int FailureExitCode = 70;

    private const string EnvironmentNote = """
        AWS endpoints come from AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_EC2 / AWS_ENDPOINT_URL_ROUTE_53 /
        AWS_ENDPOINT_URL_DYNAMODB, credentials and region from the SDK's chain and the configuration's AWS section.
        Exit 64: a command line or configuration that cannot work, every problem listed once; 70: an unexpected failure;
        2 when a command's --timeout (default 30 s) ran out, naming the endpoint that did not answer.
        """;

    /// <summary>Runs a command.</summary>
    /// <param name="args">The command line; none prints the help and returns 64 (nothing runs without a command).</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <returns>
    /// The exit code: the command's own (0 success), 64 for a command line or configuration that cannot work (every
    /// problem printed once, one line each, without a stack trace; nothing was started and AWS was not touched), 70 for
    /// an unexpected failure (one line).
    /// </returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var root = BuildCommands(output, error);
        if (args.Length == 0)
        {
            // Nothing was asked: the commands, and a usage exit (nothing runs without a command).
            await root.Parse(["--help"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
            await error.WriteLineAsync($"clusterpro: no command given; choose one of the commands above (clusterpro COMMAND --help). Exit {UsageExitCode}.");
            return UsageExitCode;
        }

        var parsed = root.Parse(args);
        if (parsed.Action is ParseErrorAction)
        {
            foreach (var problem in parsed.Errors.Select(e => e.Message).Distinct(StringComparer.Ordinal))
            {
                await error.WriteLineAsync(problem);
            }

            await error.WriteLineAsync($"Run '{Name(parsed)} --help' for the commands and their options.");
            return UsageExitCode;
        }

        try
        {
            // No signal handling of System.CommandLine's own (it would end a run after 2 s with 130 / 143): run's Generic
            // Host handles SIGTERM, SIGINT and Ctrl+C as a planned stop and chooses the exit code.
            var invocation = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return CommandTimeout.Of(parsed) is { } budget
                ? await CommandTimeout.RunAsync(Name(parsed), budget, ct => parsed.InvokeAsync(invocation, ct), error)
                : await parsed.InvokeAsync(invocation);
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync(ex.Message);
            await error.WriteLineAsync($"Run '{Name(parsed)} --help' for its options.");
            return UsageExitCode;
        }
        catch (Exception ex) when (ConfigurationProblems.Read(ex) is { } problems)
        {
            await error.WriteLineAsync($"The configuration has {problems.Count} problem{(problems.Count == 1 ? string.Empty : "s")}; nothing was started and AWS was not touched:");
            foreach (var problem in problems)
            {
                await error.WriteLineAsync("  " + problem);
            }

            return UsageExitCode;
        }
#pragma warning disable CA1031 // The last resort of a command-line program: one line, no stack trace.
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            // One line: an SDK message may span several (the credential chain lists each provider's error).
            var message = string.Join(' ', ex.Message.Split((char[])['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            await error.WriteLineAsync($"{parsed.CommandResult.Command.Name} failed: {ex.GetType().Name}: {message}");
            return FailureExitCode;
        }
    }

    /// <summary>The command line: <c>run</c>, <c>activate</c>, <c>deactivate</c>, <c>check</c>, <c>doctor</c>, <c>status</c>, <c>witness-init</c>, <c>iam-policy</c>.</summary>
    private static RootCommand BuildCommands(TextWriter output, TextWriter error)
    {
        var root = new RootCommand($"""
            ClusterPro: make services highly available on AWS (route-table VIP, Elastic IP, Route 53 record).
            Without a command: this help, exit 64. The failover demos: clusterpro-emulator demo [--witness].
            {EnvironmentNote}
            """);

        var run = new Command("run", "Run a node as a service until SIGTERM, SIGINT or Ctrl+C, which move its groups to the next node at once (exit 0; 1 when a release failed; 3 when the node left the cluster on its own: a network-partition action or a final action stopped its cluster service).");
        var runConfig = ConfigOption();
        var runNode = new Option<string>("--node") { Description = "The node to run; without it ClusterPro:Node, or the instance's own identity (ClusterPro:NodeIdentity), names it.", HelpName = "NAME" };
        var runMetrics = new Option<int?>("--metrics-port") { Description = "Serve the ClusterPro meter in Prometheus text format on this TCP port (GET /metrics, every interface).", HelpName = "PORT" };
        runMetrics.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is { } port && port is < 1 or > 65535)
            {
                r.AddError($"--metrics-port {port} is not a TCP port; give a number from 1 to 65535.");
            }
        });
        var runWeb = new Option<int?>("--web-port") { Description = "Serve the cluster's live web view on this TCP port: nodes, groups with AWS's placement, monitors, the failover timeline; move, standby and maintenance with the token of ClusterPro:Web:Token or CLUSTERPRO_WEB_TOKEN (without one, read-only).", HelpName = "PORT" };
        runWeb.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is { } port && port is < 1 or > 65535)
            {
                r.AddError($"--web-port {port} is not a TCP port; give a number from 1 to 65535.");
            }
        });
        var runWebAddress = new Option<string>("--web-address") { Description = "The web view's address: localhost (the default: this machine only), an IP address of this machine, or * for every interface (plain HTTP: see the README's threat model).", HelpName = "ADDRESS" };
        run.Options.Add(runConfig);
        run.Options.Add(runNode);
        run.Options.Add(runMetrics);
        run.Options.Add(runWeb);
        run.Options.Add(runWebAddress);
        run.Validators.Add(r =>
        {
            if (r.GetValue(runWebAddress) is not null && r.GetValue(runWeb) is null)
            {
                r.AddError("--web-address needs --web-port: give the port to serve the web view on.");
            }
        });
        run.SetAction((p, _) => NodeHost.RunAsync(p.GetRequiredValue(runConfig), p.GetValue(runNode), p.GetValue(runMetrics), p.GetValue(runWeb), p.GetValue(runWebAddress)));
        root.Subcommands.Add(run);

        foreach (var activate in new[] { true, false })
        {
            var command = new Command(activate ? "activate" : "deactivate", activate
                ? "Activate the groups (or one) on this node, resource by resource in dependency order (exit 0 when every one succeeded, 1 otherwise)."
                : "Deactivate the groups (or one) on this node, in reverse dependency order (exit 0 when every one succeeded, 1 otherwise).");
            var config = ConfigOption();
            var node = NodeOption();
            var group = new Option<string>("--group") { Description = "One group; without it, every group.", HelpName = "GROUP" };
            var force = new Option<bool>("--force") { Description = "Act even while a node of the cluster runs (it may undo this, or two nodes may point AWS at themselves): use move, standby or a stop of the node instead." };
            command.Options.Add(config);
            command.Options.Add(node);
            command.Options.Add(group);
            command.Options.Add(force);
            command.Options.Add(CommandTimeout.Option());
            command.SetAction((p, ct) => ActivateAsync(p.GetRequiredValue(config), p.GetRequiredValue(node), p.GetValue(group), activate, p.GetValue(force), output, error, ct));
            root.Subcommands.Add(command);
        }

        var check = new Command("check", "Run every monitor once; the monitors of a group this node does not hold (as AWS says) are 'not active here' and not run. Nagios-style " + Check.ExitCodes);
        var checkConfig = ConfigOption();
        var checkNode = NodeOption();
        var checkOutput = OutputOption("text", "json");
        check.Options.Add(checkConfig);
        check.Options.Add(checkNode);
        check.Options.Add(checkOutput);
        check.Options.Add(CommandTimeout.Option());
        check.SetAction((p, ct) => Check.RunAsync(p.GetRequiredValue(checkConfig), p.GetRequiredValue(checkNode), p.GetValue(checkOutput) == "json", output, ct));
        root.Subcommands.Add(check);

        var doctor = new Command("doctor", "Preflight: credentials, IDs, routes, Source/Dest. Check, zone, NP, IAM; PASS / WARN / FAIL lines (exit 0 no failure, 2 any failure).");
        var doctorConfig = ConfigOption();
        var doctorNode = NodeOption();
        doctor.Options.Add(doctorConfig);
        doctor.Options.Add(doctorNode);
        doctor.Options.Add(CommandTimeout.Option());
        doctor.SetAction((p, ct) => Doctor.RunAsync(NodeServices.Load(p.GetRequiredValue(doctorConfig)), p.GetRequiredValue(doctorNode), output, ct));
        root.Subcommands.Add(doctor);

        var status = new Command("status", "The cluster from the running nodes and from AWS, side by side: each node (up, standby, maintenance, down, stopped; last heard), each group (owner by the nodes and by AWS, state on every node, epoch, lease), each monitor (status, failures, last error) and the last events; where each VIP's route tables, Elastic IP and DNS record point. Changes nothing. " + Status.ExitCodes);
        var statusConfig = ConfigOption();
        var statusNode = new Option<string>("--node") { Description = "Mark this node (optional).", HelpName = "NAME" };
        var statusOutput = OutputOption("table", "json");
        var statusWatch = new Option<bool>("--watch", "-w") { Description = "Redraw the table in place every 2 s until Ctrl+C." };
        status.Options.Add(statusConfig);
        status.Options.Add(statusNode);
        status.Options.Add(statusOutput);
        var statusTimeout = CommandTimeout.Option();
        status.Options.Add(statusWatch);
        status.Options.Add(statusTimeout);
        status.SetAction((p, ct) => Status.RunAsync(p.GetRequiredValue(statusConfig), p.GetValue(statusNode), p.GetValue(statusOutput) == "json", p.GetValue(statusWatch), output, TimeSpan.FromSeconds(p.GetValue(statusTimeout)), ct));
        root.Subcommands.Add(status);

        AddLevers(root, output, error);

        var witnessInit = new Command("witness-init", "Create the DynamoDB witness table of ClusterPro:Witness (on-demand, partition key 'group' of type S, deletion protection on) unless it exists; idempotent. The rights it needs: iam-policy --include-setup. " + WitnessInit.ExitCodes);
        var witnessConfig = ConfigOption();
        witnessInit.Options.Add(witnessConfig);
        witnessInit.Options.Add(CommandTimeout.Option());
        witnessInit.SetAction((p, ct) => WitnessInit.RunAsync(p.GetRequiredValue(witnessConfig), output, error, ct));
        root.Subcommands.Add(witnessInit);

        var iam = new Command("iam-policy", "Print the least-privilege IAM policy (JSON) for every command an operator runs: run, activate, deactivate, check, status, fencing, the witness and doctor's preflight; witness-init needs --include-setup.");
        var iamConfig = ConfigOption();
        var iamWithoutPreflight = new Option<bool>("--without-preflight") { Description = "Leave out the read-only actions only doctor needs (ec2:DescribeNetworkInterfaces, route53:GetHostedZone …)." };
        var iamIncludeSetup = new Option<bool>("--include-setup") { Description = "Add the set-up actions for the operator who sets the cluster up once (dynamodb:CreateTable … on the witness table): witness-init needs them, the nodes do not." };
        iam.Options.Add(iamConfig);
        iam.Options.Add(iamWithoutPreflight);
        iam.Options.Add(iamIncludeSetup);
        iam.SetAction(p => IamPolicyCommand.Run(p.GetRequiredValue(iamConfig), p.GetValue(iamWithoutPreflight), p.GetValue(iamIncludeSetup), output));
        root.Subcommands.Add(iam);

        return root;
    }

    /// <summary>Where the unit file and an installed node keep the cluster's configuration: <c>--config</c>'s default.</summary>
    public const string DefaultConfigFile = "/etc/clusterpro/cluster.json";

    /// <summary>The levers on a running cluster: move, standby, unstandby, maintenance, cleanup.</summary>
    private static void AddLevers(RootCommand root, TextWriter output, TextWriter error)
    {
        var move = new Command("move", "Move a group to another node by a planned hand-off (no fencing, no heartbeat timeout); returns when it is active there. " + Levers.ExitCodes);
        var moveConfig = ConfigOption();
        var moveGroup = new Option<string>("--group") { Description = "The group to move.", HelpName = "GROUP", Required = true };
        var moveTo = new Option<string>("--to") { Description = "The node to move it to; without it, the next node by the group's priority.", HelpName = "NODE" };
        var moveTimeout = CommandTimeout.Option();
        move.Options.Add(moveConfig);
        move.Options.Add(moveGroup);
        move.Options.Add(moveTo);
        move.Options.Add(moveTimeout);
        move.SetAction((p, _) => Levers.MoveAsync(p.GetRequiredValue(moveConfig), p.GetRequiredValue(moveGroup), p.GetValue(moveTo), Levers.Budget(p.GetValue(moveTimeout)), output, error));
        root.Subcommands.Add(move);

        foreach (var on in new[] { true, false })
        {
            var command = new Command(on ? "standby" : "unstandby", (on
                ? "Put a node on standby (for patching): its groups move to the next node and it takes none until unstandby; it stays on standby across restarts. "
                : "Take a node off standby: it may take groups again. ") + Levers.ExitCodes);
            var config = ConfigOption();
            var node = new Option<string>("--node") { Description = "The node.", HelpName = "NAME", Required = true };
            var force = new Option<bool>("--force") { Description = "Go ahead even when a group the node holds has no other node to move to (the group stops)." };
            var timeout = CommandTimeout.Option();
            command.Options.Add(config);
            command.Options.Add(node);
            if (on)
            {
                command.Options.Add(force);
            }

            command.Options.Add(timeout);
            command.SetAction((p, _) => Levers.StandbyAsync(p.GetRequiredValue(config), p.GetRequiredValue(node), on, p.GetValue(force), Levers.Budget(p.GetValue(timeout)), output, error));
            root.Subcommands.Add(command);
        }

        var maintenance = new Command("maintenance", "Maintenance for the whole cluster: 'on' pauses every monitor and every automatic decision (no failover, no start, no fencing; groups stay where they are); 'off' resumes them, and the monitors repair what changed meanwhile. Nodes that start later learn it from their peers. " + Levers.ExitCodes);
        var maintenanceSwitch = new Argument<string>("on|off") { Description = "on or off." };
        maintenanceSwitch.AcceptOnlyFromAmong("on", "off");
        var maintenanceConfig = ConfigOption();
        var maintenanceTimeout = CommandTimeout.Option();
        maintenance.Arguments.Add(maintenanceSwitch);
        maintenance.Options.Add(maintenanceConfig);
        maintenance.Options.Add(maintenanceTimeout);
        maintenance.SetAction((p, _) => Levers.MaintenanceAsync(p.GetRequiredValue(maintenanceConfig), p.GetValue(maintenanceSwitch) == "on", Levers.Budget(p.GetValue(maintenanceTimeout)), output, error));
        root.Subcommands.Add(maintenance);

        var cleanup = new Command("cleanup", "Clear failure counts and recovery ladders on every running node (of one group's monitors, or all): monitors start their ladders afresh, a group that failed to come up whole is applied again now, a group stopped by a final action may start again. " + Levers.ExitCodes);
        var cleanupConfig = ConfigOption();
        var cleanupGroup = new Option<string>("--group") { Description = "One group; without it, every group.", HelpName = "GROUP" };
        var cleanupTimeout = CommandTimeout.Option();
        cleanup.Options.Add(cleanupConfig);
        cleanup.Options.Add(cleanupGroup);
        cleanup.Options.Add(cleanupTimeout);
        cleanup.SetAction((p, _) => Levers.CleanupAsync(p.GetRequiredValue(cleanupConfig), p.GetValue(cleanupGroup), Levers.Budget(p.GetValue(cleanupTimeout)), output, error));
        root.Subcommands.Add(cleanup);
    }

    private static Option<string> ConfigOption() =>
        new("--config") { Description = $"The cluster's JSON file: a ClusterPro section and the SDK's AWS section (default: {DefaultConfigFile}).", HelpName = "FILE", DefaultValueFactory = _ => DefaultConfigFile };

    private static Option<string> NodeOption() =>
        new("--node") { Description = "The node this runs as: one of ClusterPro:Nodes.", HelpName = "NAME", Required = true };

    private static Option<string> OutputOption(params string[] formats)
    {
        var option = new Option<string>("--output", "-o") { Description = "The output format.", DefaultValueFactory = _ => formats[0], HelpName = string.Join('|', formats) };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }

    /// <summary>The command as typed, for the hint after a mistake: <c>clusterpro check</c>.</summary>
    private static string Name(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Parent is null ? "clusterpro" : result.Command.Name);
        }

        return string.Join(' ', names);
    }

    /// <summary>
    /// Why a one-shot change must not go ahead: a node of the cluster runs (it answered on the control channel), or the
    /// tool cannot tell; null when the configuration has no cluster to ask (no heartbeat endpoints) or no node answered.
    /// </summary>
    private static async Task<string?> RunningNodeAsync(ClusterProOptions options, CancellationToken cancellationToken)
    {
        if (!ControlChannel.HasEndpoints(options))
        {
            return null;
        }

        using var client = ControlChannel.TryConnect(options, out var problem);
        if (client is null)
        {
            return $"the tool cannot tell whether a node of the cluster runs ({problem})";
        }

        var reports = await client.GetReportsAsync(ControlChannel.GuardBudget, cancellationToken);
        var running = reports.Where(r => r.Value is { View.Mode: not NodeMode.Stopped }).Select(r => r.Key).ToList();
        return running.Count == 0 ? null : $"{string.Join(" and ", running)} {(running.Count == 1 ? "is" : "are")} running (clusterpro run) and manage{(running.Count == 1 ? "s" : string.Empty)} the groups";
    }

    internal static (ServiceProvider Services, ClusterProFactory Factory) Compose(string config, string node, LogLevel level)
    {
        var services = NodeServices.Build(NodeServices.Load(config), level);
        var factory = services.GetRequiredService<ClusterProFactory>();
        try
        {
            ClusterChecks.RequireNode(factory.Options.NodeNames, node);
        }
        catch
        {
            services.Dispose();
            throw;
        }

        return (services, factory);
    }

    private static async Task<int> ActivateAsync(string config, string node, string? group, bool activate, bool force, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        // The running nodes are asked while the services are composed: a cluster with none running costs little time.
        var guard = force || NodeServices.TryBindOptions(config) is not { } options ? Task.FromResult<string?>(null) : RunningNodeAsync(options, cancellationToken);
        var (services, factory) = Compose(config, node, LogLevel.Warning);
        await using var _ = services;
        if (await guard is { } running)
        {
            error.WriteLine($"{(activate ? "activate" : "deactivate")}: {running}; nothing was changed. Use 'clusterpro move', 'standby' or 'maintenance' on a running cluster, stop its nodes first, or add --force.");
            return 1;
        }

        var groups = group is not null ? [group] : factory.Options.Groups.Keys.ToList();
        var ok = true;
        foreach (var name in groups)
        {
            if (!factory.Options.Groups.ContainsKey(name))
            {
                throw new UsageException($"--group {name} is not a group ({string.Join(", ", factory.Options.Groups.Keys)}).");
            }

            var engine = factory.CreateGroup(name);
            var result = activate ? await engine.ActivateAsync(node, cancellationToken) : await engine.DeactivateAsync(node, cancellationToken);
            foreach (var r in result.Resources)
            {
                output.WriteLine($"{r.Name} {r.Result.Status} {r.Result.Code} {r.Result.Message}{(r.Result.Changes.Count > 0 ? " [" + string.Join("; ", r.Result.Changes) + "]" : string.Empty)}");
            }

            output.WriteLine(result.ToString());
            ok &= result.Succeeded;
        }

        return ok ? 0 : 1;
    }

}
