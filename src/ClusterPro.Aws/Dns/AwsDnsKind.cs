using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Route53;
using ClusterPro.Resources;
using Microsoft.Extensions.DependencyInjection;

namespace ClusterPro.Aws.Dns;

/// <summary>The AWS DNS resource's registration: its checks, the Route 53 client, resource, monitor and IAM statements.</summary>
internal static class AwsDnsKind
{
    public static readonly AwsResourceKind<AwsDnsOptions, AwsDnsResource> Instance = new()
    {
        Rules = (o, path, nodes, errors) =>
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

            PerNodeSetting.Validate(o.Ip, $"{path}:Ip", nodes, required: true, errors);
            foreach (var node in nodes)
            {
                if (o.Ip.Resolve(node) is { Length: > 0 } ip)
                {
                    AwsSettingChecks.CheckIpv4(ip, $"{path}:Ip", "record", errors);
                }
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
        },
        Services = services => AwsClusterProBuilderExtensions.AddRoute53Client(services),
        CreateResource = (sp, name, o) => new AwsDnsResource(name, o, sp.GetRequiredService<IAmazonRoute53>(), sp.Time(), sp.Logger<AwsDnsResource>()),
        CreateMonitor = (sp, name, resource, o) => new AwsDnsMonitor(name, resource, o, sp.Logger<AwsDnsMonitor>()),
        Policy = (sp, o) => new DnsPolicy(o),
    };
}
