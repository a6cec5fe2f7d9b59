using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ClusterPro.Aws.Testing.Ec2;
using ClusterPro.Aws.Testing.Faults;
using Microsoft.AspNetCore.Http;

namespace ClusterPro.Aws.Testing.Hosting;

/// <summary>
/// The emulator's control API under <c>/_emulator/</c> (no signature needed), so tests in any language and the
/// demo can drive faults and drift. Documented in the package README.
/// </summary>
internal sealed class AdminApi(AwsEmulator emulator, EmulatorState state)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!["/_emulator".Length..].TrimEnd('/');
        var method = context.Request.Method;
        try
        {
            JsonObject body = [];
            if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            {
                body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false))?.AsObject() ?? [];
            }

            string? S(string name) => body.TryGetPropertyValue(name, out var v) && v is not null ? v.GetValue<string>() : null;
            string R(string name) => S(name) ?? throw new ArgumentException($"'{name}' is required.");
            switch (method, path)
            {
                case ("GET" or "HEAD", "/health"):
                    context.Response.StatusCode = 200;
                    return;
                case ("GET", "/state"):
                    await WriteAsync(context, 200, DumpState(state)).ConfigureAwait(false);
                    return;
                case ("GET", "/scenario"):
                    await WriteAsync(context, 200, JsonSerializer.Serialize(emulator.Scenario, Json)).ConfigureAwait(false);
                    return;
                case ("POST", "/reset"):
                    emulator.Reset();
                    if (context.Request.Query["scenario"] == "canonical" && emulator.Scenario is null)
                    {
                        emulator.SeedCanonical();
                    }

                    await WriteAsync(context, 200, JsonSerializer.Serialize(emulator.Scenario, Json)).ConfigureAwait(false);
                    return;
                case ("GET", "/calls"):
                    await WriteAsync(context, 200, JsonSerializer.Serialize(emulator.Calls, Json)).ConfigureAwait(false);
                    return;
                case ("DELETE", "/calls"):
                    emulator.ClearCalls();
                    break;
                case ("GET", "/faults"):
                    await WriteAsync(context, 200, JsonSerializer.Serialize(emulator.Faults.Rules, Json)).ConfigureAwait(false);
                    return;
                case ("POST", "/faults"):
                    emulator.Faults.Add(body.Deserialize<FaultRule>(Json) ?? throw new ArgumentException("A fault rule is required."));
                    break;
                case ("DELETE", "/faults"):
                    emulator.Faults.Clear();
                    break;
                case ("PUT", "/endpoint-down"):
                    emulator.Faults.EndpointDown = !string.Equals(context.Request.Query["value"], "false", StringComparison.OrdinalIgnoreCase);
                    break;
                case ("POST", "/drift/route"):
                    emulator.Drift.RetargetRoute(R("routeTableId"), R("destinationCidr"), R("networkInterfaceId"), S("region"));
                    break;
                case ("POST", "/drift/address"):
                    if (S("networkInterfaceId") is { } eni)
                    {
                        emulator.Drift.MoveAddress(R("allocationId"), eni, S("region"));
                    }
                    else
                    {
                        emulator.Drift.DisassociateAddress(R("allocationId"), S("region"));
                    }

                    break;
                case ("POST", "/drift/record"):
                    if (S("ip") is { } ip)
                    {
                        emulator.Drift.SetRecord(R("hostedZoneId"), R("name"), ip, body.TryGetPropertyValue("ttl", out var ttl) && ttl is not null ? ttl.GetValue<long>() : 300);
                    }
                    else
                    {
                        emulator.Drift.DeleteRecord(R("hostedZoneId"), R("name"), S("type") ?? "A");
                    }

                    break;
                case ("POST", "/drift/zone"):
                    emulator.Drift.SetZoneState(R("zoneName"), R("state"), S("region"));
                    break;
                case ("POST", "/drift/instance"):
                    emulator.Drift.StopInstance(R("instanceId"), S("region"));
                    break;
                default:
                    await WriteAsync(context, 404, JsonSerializer.Serialize(new { error = $"No control endpoint {method} /_emulator{path}; see the ClusterPro.Aws.Testing README." }, Json)).ConfigureAwait(false);
                    return;
            }

            await WriteAsync(context, 200, "{\"ok\":true}").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException or AwsErrorException or InvalidOperationException or FormatException)
        {
            await WriteAsync(context, 400, JsonSerializer.Serialize(new { error = ex.Message }, Json)).ConfigureAwait(false);
        }
    }

    public static string DumpState(EmulatorState state)
    {
        lock (state.Sync)
        {
            foreach (var region in state.Regions.Values)
            {
                region.Refresh();
            }

            var dump = new
            {
                regions = state.Regions.Values.Select(r => new
                {
                    name = r.Name,
                    zones = r.Zones.Select(z => new { z.Name, z.ZoneId, z.State }),
                    vpcs = r.Vpcs.Values.Select(v => new { v.Id, cidrs = v.Cidrs.Select(c => c.Cidr), v.MainRouteTableId, v.IsDefault }),
                    subnets = r.Subnets.Values.Select(s => new { s.Id, s.VpcId, s.Cidr, zone = s.Zone.Name, s.DefaultForAz }),
                    internetGateways = r.InternetGateways.Values.Select(g => new { g.Id, g.VpcId }),
                    networkInterfaces = r.Enis.Values.Select(e => new { e.Id, e.SubnetId, e.PrimaryIp, e.SecondaryIps, e.SourceDestCheck, e.InstanceId, e.Mac }),
                    routeTables = r.RouteTables.Values.Select(t => new
                    {
                        t.Id,
                        t.VpcId,
                        routes = t.Routes.Select(x => new { x.Cidr, x.GatewayId, x.NetworkInterfaceId, state = r.RouteState(x) }),
                        subnets = t.Associations.Where(a => a.SubnetId is not null).Select(a => a.SubnetId),
                    }),
                    addresses = r.Addresses.Values.Select(a => new { a.AllocationId, a.PublicIp, a.AssociationId, a.NetworkInterfaceId, a.PrivateIp }),
                    instances = r.Instances.Values.Select(i => new { i.Id, i.State, i.Zone, i.PrimaryEniId }),
                    volumes = r.Volumes.Values.Select(v => new { v.Id, v.Zone, v.Size, attachments = v.Attachments.Select(a => new { a.InstanceId, a.Device }) }),
                    keyPairs = r.KeyPairs.Values.Select(k => new { k.Id, k.Name, k.Type }),
                }),
                dynamoDb = state.DynamoDbRegions.Values.Select(d => new { region = d.Region, tables = d.Tables.Values.Select(t => new { t.Name, items = t.Items.Count }) }),
                hostedZones = state.Route53.Zones.Values.Select(z => new
                {
                    z.Id,
                    z.Name,
                    z.Private,
                    vpcs = z.Vpcs.Select(v => new { region = v.Region, vpcId = v.VpcId }),
                    records = z.Records.Select(s => new { s.Name, s.Type, s.Ttl, s.Values }),
                    pendingChanges = z.Pending.Count,
                }),
            };
            return JsonSerializer.Serialize(dump, Json);
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }
}
