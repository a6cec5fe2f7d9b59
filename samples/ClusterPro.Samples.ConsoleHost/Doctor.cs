using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using ClusterPro.Aws;
using ClusterPro.Aws.AvailabilityZone;
using ClusterPro.Aws.Dns;
using ClusterPro.Aws.ElasticIp;
using ClusterPro.Aws.Route53;
using ClusterPro.Aws.VirtualIp;
using ClusterPro.Aws.Witness;
using Amazon.DynamoDBv2;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.DependencyInjection;
using ClusterPro.Partition;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>
/// Preflight (SPEC section 7): PASS / WARN / FAIL lines, each FAIL with its fix; SKIP for a check that depends on one
/// that failed (no AWS check runs after the credentials fail; no check on an ID after it was not found). NP targets: each
/// HTTP target probed, each ping target pinged once (a WARN when this process cannot send ICMP). Exit 0 without a FAIL,
/// 2 with one.
/// </summary>
internal static class Doctor
{
    public static async Task<int> RunAsync(IConfiguration configuration, string node, TextWriter output, CancellationToken cancellationToken = default)
    {
        await using var services = NodeServices.Build(configuration, LogLevel.Critical);
        var cluster = services.GetRequiredService<IOptions<ClusterProOptions>>().Value;
        ClusterChecks.RequireNode(cluster.NodeNames, node);

        var checks = new DoctorChecks(output);
        var ec2 = services.GetRequiredService<IAmazonEC2>();
        const string Credentials = "credentials and region";
        const string DescribeZones = "ec2:DescribeAvailabilityZones";
        try
        {
            var zones = await ec2.DescribeAvailabilityZonesAsync(new DescribeAvailabilityZonesRequest(), cancellationToken);
            checks.Line("PASS", Credentials, $"EC2 at {ec2.Config.DetermineServiceOperationEndpoint(new Amazon.Runtime.Endpoints.ServiceOperationEndpointParameters(new DescribeAvailabilityZonesRequest()))?.URL ?? ec2.Config.ServiceURL} answered with {zones.AvailabilityZones?.Count ?? 0} zones");
        }
        catch (AmazonServiceException ex) when (DoctorChecks.Denied(ex.ErrorCode))
        {
            // AWS knew the credentials and refused one action: the other checks still tell something, but not the zone checks,
            // which call the same action and would only fail again for the same cause.
            checks.Line("FAIL", Credentials, $"{ex.ErrorCode}: {ex.Message} Fix: allow ec2:DescribeAvailabilityZones for this node's role (see 'iam-policy').");
            checks.Block(Credentials, DescribeZones);
        }
        catch (AmazonServiceException ex)
        {
            checks.Line("FAIL", Credentials, $"{ex.ErrorCode}: {ex.Message} Fix: run 'aws configure' or give the instance an IAM role, and set AWS:Region.");
            checks.Block(Credentials, DoctorChecks.Aws);
        }
        catch (Exception ex) when (ex is AmazonClientException or HttpRequestException)
        {
            checks.Line("FAIL", Credentials, $"{ex.Message} Fix: check credentials, region, and that the EC2 endpoint is reachable (NAT, proxy, VPC endpoint).");
            checks.Block(Credentials, DoctorChecks.Aws);
        }

        foreach (var (groupName, group) in cluster.Groups)
        {
            foreach (var resource in group.Resources)
            {
                var vip = services.GetService<IOptionsMonitor<AwsVirtualIpOptions>>()?.Get(resource.Name);
                if (vip?.Ip is not null)
                {
                    await CheckVipAsync(ec2, resource.Name, vip, node, checks);
                }

                var eip = services.GetService<IOptionsMonitor<AwsElasticIpOptions>>()?.Get(resource.Name);
                if (eip?.AllocationId is not null)
                {
                    var eniId = eip.EniId.ResolveRequired(node, "EniId");
                    await checks.RunAsync($"{resource.Name}: allocation {eip.AllocationId} exists", [DoctorChecks.Aws], [$"eipalloc:{eip.AllocationId}", $"eni:{eniId}"], async () =>
                    {
                        await ec2.DescribeAddressesAsync(new DescribeAddressesRequest { AllocationIds = [eip.AllocationId] });
                        await ec2.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest { NetworkInterfaceIds = [eniId] });
                        return "allocation and ENI found";
                    });
                }

                var dns = services.GetService<IOptionsMonitor<AwsDnsOptions>>()?.Get(resource.Name);
                if (dns?.HostedZoneId is not null)
                {
                    await CheckDnsAsync(services.GetRequiredService<IAmazonRoute53>(), resource.Name, dns, cluster, services, checks);
                }
            }
        }

        foreach (var (name, _) in cluster.Monitors)
        {
            var az = services.GetService<IOptionsMonitor<AwsAzMonitorOptions>>()?.Get(name);
            var zone = az?.AvailabilityZone.Resolve(node);
            if (zone is not null)
            {
                await checks.RunAsync($"{name}: zone {zone}", [DoctorChecks.Aws, DescribeZones], [$"az:{zone}"], async () =>
                {
                    Amazon.EC2.Model.AvailabilityZone? z;
                    try
                    {
                        // AWS answers an unknown zone with InvalidParameterValue, some endpoints with no zone (null in SDK v4).
                        z = ((await ec2.DescribeAvailabilityZonesAsync(new DescribeAvailabilityZonesRequest { ZoneNames = [zone] })).AvailabilityZones ?? []).SingleOrDefault(a => a.ZoneName == zone);
                    }
                    catch (AmazonEC2Exception ex) when (ex.ErrorCode == "InvalidParameterValue")
                    {
                        z = null;
                    }

                    return z is null
                        ? throw new DoctorFailure($"zone {zone} not found in the region. Fix: correct AvailabilityZone of {name} in the configuration (and the region, AWS:Region).", blocksDependents: true)
                        : $"state {z.State?.Value ?? "unknown"}";
                });
            }
        }

        if (ClusterChecks.IsDynamoDbWitness(cluster.Witness) && cluster.Witness.Table is { } table)
        {
            await CheckWitnessAsync(services.GetRequiredService<IAmazonDynamoDB>(), table, checks);
        }

        for (var i = 0; i < cluster.NetworkPartition.Http.Count; i++)
        {
            var target = cluster.NetworkPartition.Http[i];
            var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpNetworkPartitionResolver.HttpClientName);
            var probe = await new HttpNetworkPartitionResolver($"http{i + 1}", http, target).ProbeAsync();
            checks.Line(probe.Status == PartitionProbeStatus.Reachable ? "PASS" : "FAIL", $"NP target {target.Url}", probe.Status == PartitionProbeStatus.Reachable ? probe.Detail : $"{probe.Detail} Fix: allow HTTPS out to {target.Host} (NAT or proxy), or choose a target every node reaches.");
        }

        foreach (var target in cluster.NetworkPartition.Ping)
        {
            await CheckPingAsync(target, cluster.NetworkPartition.PingTimeout, checks);
        }

        if (cluster.NetworkPartition.Http.Count == 0 && cluster.NetworkPartition.Ping.Count == 0)
        {
            checks.Line("WARN", "network-partition resolution", "none configured: two nodes that lose sight of each other would both take over. Fix: add ClusterPro:NetworkPartition:Http (e.g. aws.amazon.com:443) and fencing.");
        }

        if (cluster.DescribeSplitBrainRisk(services.GetService<ClusterPro.Failover.IFencingAgent>() is not null) is { } risk)
        {
            checks.Line("WARN", "split-brain risk", risk);
        }

        var skipped = checks.Skipped > 0 ? $", {checks.Skipped} check(s) skipped because of it" : string.Empty;
        output.WriteLine(checks.Failures == 0 ? "doctor: no failures." : $"doctor: {checks.Failures} failure(s){skipped}.");
        return checks.Failures == 0 ? 0 : 2;
    }

    /// <summary>
    /// One ICMP echo, as the ping resolver sends it. A process that cannot send ICMP (no raw sockets, no unprivileged
    /// ping sockets, no ping utility) has not tested the target: a WARN saying so, not a verdict on the target.
    /// </summary>
    private static async Task CheckPingAsync(string target, TimeSpan timeout, DoctorChecks checks)
    {
        var what = $"NP target ping {target}";
        try
        {
            using var ping = new System.Net.NetworkInformation.Ping();
            var reply = await ping.SendPingAsync(target, timeout);
            if (reply.Status == System.Net.NetworkInformation.IPStatus.Success)
            {
                checks.Line("PASS", what, $"answered in {reply.RoundtripTime} ms");
            }
            else
            {
                checks.Line("FAIL", what, $"{reply.Status}. Fix: allow ICMP echo to {target} (security groups, network ACLs, NAT), or choose a target every node reaches.");
            }
        }
        catch (System.Net.NetworkInformation.PingException ex)
        {
            checks.Line("WARN", what, $"not probed by doctor: {ex.InnerException?.Message ?? ex.Message} (ICMP needs raw sockets, net.ipv4.ping_group_range, or the ping utility); check it with ping {target} as the node's user.");
        }
    }

    private static async Task CheckWitnessAsync(IAmazonDynamoDB dynamo, string table, DoctorChecks checks)
    {
        var what = $"witness table {table}";
        if (checks.SkipIfBlocked(what, [DoctorChecks.Aws]))
        {
            return;
        }

        try
        {
            foreach (var check in await DynamoDbWitnessTable.CheckAsync(dynamo, table))
            {
                checks.Line(check.Verdict switch { WitnessCheckVerdict.Pass => "PASS", WitnessCheckVerdict.Warn => "WARN", _ => "FAIL" }, check.What, check.Detail);
            }
        }
        catch (Exception ex) when (ex is AmazonClientException or HttpRequestException or InvalidOperationException)
        {
            checks.Line("FAIL", what, $"{ex.Message} Fix: check that this node reaches the DynamoDB endpoint (AWS_ENDPOINT_URL_DYNAMODB, NAT, proxy or a VPC gateway endpoint).");
        }
    }

    private static async Task CheckVipAsync(IAmazonEC2 ec2, string name, AwsVirtualIpOptions vip, string node, DoctorChecks checks)
    {
        var vpcId = vip.VpcId.ResolveRequired(node, "VpcId");
        var eniId = vip.EniId.ResolveRequired(node, "EniId");
        var address = System.Net.IPAddress.Parse(vip.Ip!.Split('/')[0]);
        string[] vpc = [$"vpc:{vpcId}"];
        string[] eni = [$"eni:{eniId}"];
        string[] routes = [$"routes:{name}"];
        await checks.RunAsync($"{name}: VPC {vpcId}", [DoctorChecks.Aws], vpc, async () =>
        {
            var found = (await ec2.DescribeVpcsAsync(new DescribeVpcsRequest { VpcIds = [vpcId] })).Vpcs ?? [];
            var v = found.Count == 1 ? found[0] : throw new DoctorFailure($"VPC {vpcId} was not found. Fix: correct VpcId in the configuration (and the region, AWS:Region).", blocksDependents: true);
            var cidrs = (v.CidrBlockAssociationSet ?? []).Select(a => a.CidrBlock).Append(v.CidrBlock).Distinct().ToList();
            var inside = cidrs.FirstOrDefault(c => System.Net.IPNetwork.Parse(c).Contains(address));
            return inside is null
                ? $"VIP {address} is outside {string.Join(", ", cidrs)}"
                : throw new DoctorFailure($"({AwsResultCodes.VipInVpcCidr} : {AwsResultCodes.VipBelongsToSubnet(address.ToString())}) It is inside VPC CIDR {inside}; activation and the {name} monitor report the same. Fix: choose an address outside every VPC CIDR.");
        });
        List<RouteTable> tables = [];
        var lookup = $"{name}: route tables holding {address}/32";
        var found = await checks.RunAsync(lookup, [DoctorChecks.Aws, .. vpc], routes, async () =>
        {
            tables = (await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = [new Filter("vpc-id", [vpcId]), new Filter("route.destination-cidr-block", [$"{address}/32"])] })).RouteTables ?? [];
            return tables.Count > 0
                ? $"{tables.Count}: {string.Join(", ", tables.Select(t => t.RouteTableId))}"
                : throw new DoctorFailure($"No route table of {vpcId} has {address}/32. Fix: create the route (to any node's ENI) in every route table whose subnets must reach the VIP.", blocksDependents: true);
        });
        if (!found)
        {
            // The permission check dry-runs ReplaceRoute on the tables the lookup found: without them it tests nothing.
            checks.Block(lookup, routes);
        }

        await checks.RunAsync($"{name}: Source/Dest. Check on {eniId}", [DoctorChecks.Aws], eni, async () =>
        {
            var found = (await ec2.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest { NetworkInterfaceIds = [eniId] })).NetworkInterfaces ?? [];
            var e = found.Count == 1 ? found[0] : throw new DoctorFailure($"ENI {eniId} was not found. Fix: correct EniId in the configuration.", blocksDependents: true);
            return e.SourceDestCheck == true
                ? throw new DoctorFailure($"Source/Dest. Check is enabled, so traffic to the VIP is dropped. Fix: aws ec2 modify-network-interface-attribute --network-interface-id {eniId} --no-source-dest-check")
                : "disabled";
        });
        await checks.RunAsync($"{name}: IAM allows ec2:ReplaceRoute", [DoctorChecks.Aws, .. vpc, .. routes, .. eni], [], async () =>
        {
            if (tables.Count == 0)
            {
                throw new DoctorFailure($"no route table holds {address}/32, so no dry run tested the permission. Fix: create the route, then run doctor again.");
            }

            foreach (var table in tables)
            {
                try
                {
                    await ec2.ReplaceRouteAsync(new ReplaceRouteRequest { RouteTableId = table.RouteTableId, DestinationCidrBlock = $"{address}/32", NetworkInterfaceId = eniId, DryRun = true });
                }
                catch (AmazonEC2Exception ex) when (ex.ErrorCode == "DryRunOperation")
                {
                    continue;
                }
                catch (AmazonEC2Exception ex) when (ex.ErrorCode == "UnauthorizedOperation")
                {
                    throw new DoctorFailure($"not on {table.RouteTableId}. Fix: allow ec2:ReplaceRoute on every route table holding the VIP (see 'iam-policy').");
                }
            }

            return $"dry run allowed on {tables.Count} table(s)";
        });
    }

    private static async Task CheckDnsAsync(IAmazonRoute53 route53, string name, AwsDnsOptions dns, ClusterProOptions cluster, IServiceProvider services, DoctorChecks checks)
    {
        if (RecordNames.Problem(dns.RecordName) is { } problem)
        {
            checks.Line("FAIL", $"{name}: record name", $"{problem}");
        }
        else
        {
            checks.Line(dns.RecordName == RecordNames.Normalize(dns.RecordName!) ? "PASS" : "WARN", $"{name}: record name", $"used as {RecordNames.Normalize(dns.RecordName!)}");
        }

        await checks.RunAsync($"{name}: hosted zone {dns.HostedZoneId}", [DoctorChecks.Aws], [$"zone:{dns.HostedZoneId}"], async () =>
        {
            var zone = await route53.GetHostedZoneAsync(new GetHostedZoneRequest { Id = dns.HostedZoneId! });
            if (zone.HostedZone.Config.PrivateZone == true)
            {
                // Every node's VPC (a VpcId may differ per node), not only the common one: a node whose VPC the zone
                // does not know resolves the record elsewhere, or not at all.
                var vpcs = services.GetService<IOptionsMonitor<AwsVirtualIpOptions>>() is { } vipOptions
                    ? cluster.Groups.Values.SelectMany(g => g.Resources).Select(r => vipOptions.Get(r.Name)).Where(o => o.Ip is not null)
                        .SelectMany(o => cluster.NodeNames.Select(n => o.VpcId.Resolve(n))).OfType<string>().Distinct(StringComparer.Ordinal).ToList()
                    : [];
                var missing = vpcs.Where(v => !(zone.VPCs ?? []).Any(z => z.VPCId == v)).ToList();
                if (missing.Count > 0)
                {
                    throw new DoctorFailure($"private zone {zone.HostedZone.Name} is not associated with {string.Join(", ", missing)}. Fix: associate the VPC with the hosted zone.");
                }
            }

            return $"{zone.HostedZone.Name} ({(zone.HostedZone.Config.PrivateZone == true ? "private, VPCs " + string.Join(", ", (zone.VPCs ?? []).Select(v => v.VPCId)) : "public")})";
        });
    }
}
