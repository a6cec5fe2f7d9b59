using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Testing;
using ClusterPro.Aws.Testing.Scenarios;
using ClusterPro.Samples.ConsoleHost.Ocf;
using Microsoft.Extensions.DependencyInjection;

namespace ClusterPro.Ocf.Tests;

/// <summary>
/// The agents in-process against the in-process emulator's canonical scenario, as node2 would run them: each action gets
/// its own environment (the OCF_RESKEY_* parameters, a private HA_RSCTMP) and the emulator's clients; the OS addresses
/// live in memory.
/// </summary>
internal sealed class Agents : IAsyncDisposable
{
    private Agents(AwsEmulator emulator)
    {
        Emulator = emulator;
    }

    public AwsEmulator Emulator { get; }

    public CanonicalScenario S => Emulator.Scenario!;

    public InMemoryHostAddressManager Hosts { get; } = new();

    public string StateDirectory { get; } = Directory.CreateTempSubdirectory("clusterpro-ocf-state-").FullName;

    /// <summary>Set to run with the real Linux host address manager (and its checks of this host) instead of the in-memory one.</summary>
    public bool RealHost { get; set; }

    public static async Task<Agents> StartAsync() =>
        new(await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, Route53PropagationDelay = TimeSpan.Zero }));

    /// <summary>The awsvip parameters for node2 (its ENI, the VPC, the VIP), with <paramref name="extra"/> on top (an empty value unsets one).</summary>
    public Dictionary<string, string> Vip(params (string Name, string Value)[] extra) =>
        With(new() { ["ip"] = S.Vip, ["vpc_id"] = S.VpcId, ["eni_id"] = S.Node2.EniId }, extra);

    public Dictionary<string, string> Eip(params (string Name, string Value)[] extra) =>
        With(new() { ["allocation_id"] = S.EipAllocationId, ["eni_id"] = S.Node2.EniId }, extra);

    public Dictionary<string, string> Dns(params (string Name, string Value)[] extra) =>
        With(new() { ["hosted_zone_id"] = S.HostedZoneId, ["record"] = "SRV.hz1.local", ["address"] = S.Node2.PrivateIp, ["ttl"] = "60" }, extra);

    /// <summary>Runs one action; <paramref name="environment"/> adds or overrides variables other than parameters (OCF_CHECK_LEVEL …).</summary>
    public async Task<(int Code, string Output, string Error)> RunAsync(OcfAgentKind agent, string action, Dictionary<string, string> parameters, Dictionary<string, string>? environment = null)
    {
        var variables = new Dictionary<string, string>
        {
            ["HA_RSCTMP"] = StateDirectory,
            ["OCF_RESOURCE_INSTANCE"] = agent.Name + "-test",
            ["OCF_RESKEY_CRM_meta_on_node"] = "node2",
            ["OCF_RESKEY_CRM_meta_timeout"] = "20000",
        };
        foreach (var (name, value) in parameters)
        {
            variables["OCF_RESKEY_" + name] = value;
        }

        foreach (var (name, value) in environment ?? [])
        {
            variables[name] = value;
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        using var ec2 = Emulator.CreateEc2Client();
        var code = await OcfAgent.RunAsync(agent, action, new OcfEnvironment(variables.GetValueOrDefault), output, error, services =>
        {
            services.AddSingleton<Amazon.EC2.IAmazonEC2>(ec2);
            services.Configure<ClusterProAwsOptions>(o =>
            {
                o.Route53Endpoint = Emulator.Endpoint;
                o.Route53Credentials = Emulator.Credentials;
            });
            if (!RealHost)
            {
                services.AddSingleton<ClusterPro.Aws.Host.IHostAddressManagerProvider>(Hosts);
            }
        });
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Where every route of the VIP points.</summary>
    public IReadOnlyList<string?> VipTargets() => S.VipRouteTables.Select(t => Emulator.Inspect.RouteTarget(t, S.VipCidr)).ToList();

    public async ValueTask DisposeAsync()
    {
        await Emulator.DisposeAsync();
        Directory.Delete(StateDirectory, recursive: true);
    }

    private static Dictionary<string, string> With(Dictionary<string, string> parameters, (string Name, string Value)[] extra)
    {
        foreach (var (name, value) in extra)
        {
            parameters[name] = value;
        }

        return parameters;
    }
}
