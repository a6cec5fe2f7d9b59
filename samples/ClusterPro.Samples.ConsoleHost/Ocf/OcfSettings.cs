using System.Globalization;
using System.Text.RegularExpressions;
using ClusterPro.Aws.Discovery;
using Microsoft.Extensions.Configuration;

namespace ClusterPro.Samples.ConsoleHost.Ocf;

/// <summary>
/// An agent's parameters as the resource manager gave them, checked for their shape (one line per problem, naming the
/// parameter and the fix), completed from the instance's metadata where empty means "this instance's", and turned into
/// the one-node, one-group ClusterPro configuration that the tool's own composition builds the resource from.
/// </summary>
internal sealed partial class OcfSettings
{
    /// <summary>The group the agent's resource is composed into.</summary>
    public const string Group = "pacemaker";

    private readonly OcfAgentKind _agent;
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private OcfSettings(OcfAgentKind agent) => _agent = agent;

    /// <summary>The OS interface, when the VIP agent is to manage the OS address.</summary>
    public string? Interface => _values.GetValueOrDefault("interface");

    /// <summary>The endpoint for every AWS call, when one is given.</summary>
    public Uri? Endpoint => _values.TryGetValue("endpoint", out var e) ? new Uri(e) : null;

    /// <summary>Whether an empty parameter is to come from the instance's metadata.</summary>
    public bool NeedsInstance => _agent.All.Any(p => p.FromInstance != OcfFromInstance.None && !_values.ContainsKey(p.Name));

    /// <summary>The parameters' values; every problem with their shape goes to <paramref name="problems"/>.</summary>
    public static OcfSettings Read(OcfAgentKind agent, OcfEnvironment environment, List<string> problems)
    {
        var settings = new OcfSettings(agent);
        foreach (var p in agent.All)
        {
            if (environment.Parameter(p.Name) is not { } value)
            {
                continue;
            }

            if (Problem(p, value) is { } problem)
            {
                problems.Add($"OCF parameter '{p.Name}' is '{value}', {problem}");
                continue;
            }

            settings._values[p.Name] = value;
        }

        return settings;
    }

    /// <summary>Fills what empty means "this instance's" from its instance metadata (IMDSv2); null, or the problem.</summary>
    public async Task<string?> FillFromInstanceAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var missing = _agent.All.Where(p => p.FromInstance != OcfFromInstance.None && !_values.ContainsKey(p.Name)).ToList();
        if (missing.Count == 0)
        {
            return null;
        }

        using var http = new HttpClient();
        var imds = new InstanceMetadataClient(http, new InstanceMetadataOptions { Endpoint = endpoint, Attempts = 2, Timeout = TimeSpan.FromSeconds(1) });
        try
        {
            string? mac = null;
            foreach (var p in missing)
            {
                _values[p.Name] = p.FromInstance switch
                {
                    OcfFromInstance.PrivateIp => await imds.GetAsync("latest/meta-data/local-ipv4", cancellationToken).ConfigureAwait(false),
                    OcfFromInstance.Vpc => await imds.GetAsync($"latest/meta-data/network/interfaces/macs/{mac ??= await imds.GetAsync("latest/meta-data/mac", cancellationToken).ConfigureAwait(false)}/vpc-id", cancellationToken).ConfigureAwait(false),
                    _ => await imds.GetAsync($"latest/meta-data/network/interfaces/macs/{mac ??= await imds.GetAsync("latest/meta-data/mac", cancellationToken).ConfigureAwait(false)}/interface-id", cancellationToken).ConfigureAwait(false),
                };
            }

            return null;
        }
        catch (InvalidOperationException ex)
        {
            var names = string.Join(" and ", missing.Select(p => p.Name));
            return $"OCF parameter{(missing.Count == 1 ? string.Empty : "s")} {names} {(missing.Count == 1 ? "is" : "are")} empty, so the agent asked this instance's metadata, which did not answer ({ex.Message}). Set {names}, or run the agent on an EC2 instance with IMDSv2 enabled.";
        }
    }

    /// <summary>Stands in for what the instance's metadata would give, so that the parameters can be checked anywhere (validate-all below level 10).</summary>
    public void FillPlaceholders()
    {
        foreach (var p in _agent.All.Where(p => p.FromInstance != OcfFromInstance.None && !_values.ContainsKey(p.Name)))
        {
            _values[p.Name] = p.FromInstance switch
            {
                OcfFromInstance.PrivateIp => "192.0.2.1",
                OcfFromInstance.Vpc => "vpc-00000000000000000",
                _ => "eni-00000000000000000",
            };
        }
    }

    /// <summary>
    /// The cluster ClusterPro composes: this node alone, one group holding the agent's resource (and so its monitor),
    /// every time bound fitted into the operation's <paramref name="budget"/> (the AWS call timeout a third of it).
    /// </summary>
    public IConfiguration ToConfiguration(string node, TimeSpan budget)
    {
        var resource = $"ClusterPro:Groups:{Group}:Resources:0";
        var keys = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["ClusterPro:Nodes:0:Name"] = node,
            [$"{resource}:Name"] = _agent.Name,
            [$"{resource}:Type"] = _agent.Name,
            [$"{resource}:ActivationTimeout"] = budget.ToString("c", CultureInfo.InvariantCulture),
            [$"{resource}:DeactivationTimeout"] = budget.ToString("c", CultureInfo.InvariantCulture),
            [$"{resource}:AwsCallTimeout"] = CallTimeout(budget).ToString("c", CultureInfo.InvariantCulture),
            [$"ClusterPro:Monitors:{_agent.MonitorName}:Timeout"] = budget.ToString("c", CultureInfo.InvariantCulture),
        };
        if (_values.TryGetValue("region", out var region))
        {
            keys["AWS:Region"] = region;
        }

        if (_values.TryGetValue("profile", out var profile))
        {
            keys["AWS:Profile"] = profile;
        }

        if (_values.TryGetValue("endpoint", out var endpoint))
        {
            keys["AWS:ServiceURL"] = endpoint;
        }

        // A parameter left empty takes the agent's default (meta-data's), which may differ from ClusterPro's own.
        foreach (var p in _agent.All.Where(p => p.Setting is not null && (_values.ContainsKey(p.Name) || p.Default.Length > 0)))
        {
            var value = _values.GetValueOrDefault(p.Name, p.Default);
            switch (p.Kind)
            {
                case OcfValueKind.List:
                    var items = Items(value);
                    for (var i = 0; i < items.Length; i++)
                    {
                        keys[$"{resource}:{p.Setting}:{i}"] = items[i];
                    }

                    break;
                case OcfValueKind.Boolean:
                    keys[$"{resource}:{p.Setting}"] = IsTrue(value) ? "true" : "false";
                    break;
                default:
                    keys[$"{resource}:{p.Setting}"] = value;
                    break;
            }
        }

        return new ConfigurationBuilder().AddInMemoryCollection(keys).Build();
    }

    /// <summary>Each AWS call's bound: a third of the budget less a little, so an activation always outlasts three calls.</summary>
    public static TimeSpan CallTimeout(TimeSpan budget) => TimeSpan.FromMilliseconds(Math.Min(Math.Floor(budget.TotalMilliseconds / 3.5 / 100) * 100, 999_000));

    /// <summary>
    /// A ClusterPro configuration problem in the agent's words: the setting's path becomes the OCF parameter it came from
    /// (<c>ClusterPro:Groups:pacemaker:Resources:awsvip:Ip is empty …</c> → <c>OCF parameter 'ip' is empty …</c>).
    /// </summary>
    public string Translate(string problem)
    {
        foreach (var p in _agent.All.Where(p => p.Setting is not null).OrderByDescending(p => p.Setting!.Length))
        {
            foreach (var path in new[] { $"ClusterPro:Groups:{Group}:Resources:{_agent.Name}:{p.Setting}", $"ClusterPro:Groups:{Group}:Resources:0:{p.Setting}" })
            {
                problem = Regex.Replace(problem, Regex.Escape(path) + @":(\d+)", m => $"OCF parameter '{p.Name}' (entry {int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1})", RegexOptions.CultureInvariant);
                problem = problem.Replace(path, $"OCF parameter '{p.Name}'", StringComparison.Ordinal);
            }
        }

        return problem;
    }

    /// <summary>An OCF boolean's truth, as ocf-shellfuncs' ocf_is_true reads it.</summary>
    public static bool IsTrue(string value) => value.ToLowerInvariant() is "yes" or "true" or "1" or "on";

    private static string[] Items(string value) => value.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string? Problem(OcfParameter p, string value) => p.Kind switch
    {
        OcfValueKind.Integer when !long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) =>
            $"which is not a whole number; give one such as {(p.Default.Length > 0 ? p.Default : "1")}.",
        OcfValueKind.Boolean when !(IsTrue(value) || value.ToLowerInvariant() is "no" or "false" or "0" or "off") =>
            "which is not a boolean; give true or false.",
        OcfValueKind.Choice when !p.Choices.Contains(value.ToLowerInvariant()) =>
            $"which is not one of {string.Join(", ", p.Choices)}; give one of them.",
        _ when p.Name == "endpoint" && !(Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") =>
            "which is not an http or https URL; give one such as https://ec2.ap-northeast-1.amazonaws.com, or leave it empty for AWS's own endpoints.",
        _ when p.Name == "region" && !RegionPattern().IsMatch(value) =>
            "which is not a region name; give one such as ap-northeast-1, or leave it empty for the SDK's chain.",
        _ when p.Name == "interface" && !InterfacePattern().IsMatch(value) =>
            "which is not a network interface name; give one such as eth0 (up to 15 characters, as ip link shows it), or leave it empty to leave the OS alone.",
        _ when p.Name == "name_servers" && Items(value).FirstOrDefault(s => !System.Net.IPEndPoint.TryParse(s, out _)) is { } bad =>
            $"and '{bad}' is not an address or address:port; give them such as 10.0.0.2 or 127.0.0.1:5353.",
        _ => null,
    };

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();

    [GeneratedRegex(@"^[^\s/:]{1,15}$", RegexOptions.CultureInvariant)]
    private static partial Regex InterfacePattern();
}
