using System.Text.Json.Nodes;
using ClusterPro.Aws.Testing.Ec2;
using ClusterPro.Aws.Testing.Hosting;
using ClusterPro.Aws.Testing.Route53;

namespace ClusterPro.Aws.Testing.Iam;

/// <summary>
/// Authorizes each request against <see cref="AwsEmulatorOptions.Policy"/> as IAM would: the action
/// (<c>ec2:</c>, <c>route53:</c>, <c>dynamodb:</c> + the operation) on the ARNs AWS checks for it — the route table of a
/// ReplaceRoute, the Elastic IP and network interface of an AssociateAddress, the instances of a StopInstances, the
/// hosted zone or change of a Route 53 call, the table of a DynamoDB call; <c>*</c> for the calls AWS gives no
/// resource-level permissions (the EC2 Describes, ListHostedZones, CreateHostedZone, ListTables) and for set-up calls
/// the product never makes — with <c>ec2:Vpc</c> (route tables, network interfaces, instances), <c>ec2:Region</c> and
/// <c>aws:RequestedRegion</c> as condition keys. STS GetCallerIdentity needs no permission, as in AWS. A denied request
/// gets its service's own answer: EC2 <c>UnauthorizedOperation</c> (403), Route 53 <c>AccessDenied</c> (403),
/// DynamoDB <c>AccessDeniedException</c> (400), STS <c>AccessDenied</c> (403).
/// </summary>
internal sealed class RequestAuthorizer(IamPolicy policy, EmulatorState state)
{
    public const string Caller = $"arn:aws:iam::{Ec2Handler.OwnerId}:user/emulator";

    public AwsErrorException? Authorize(AwsCallInfo call, string region, string rawPath, byte[] body)
    {
        if (call.Service == AwsService.Sts && call.Operation == "GetCallerIdentity")
        {
            return null;
        }

        var action = $"{RequestAuthenticator.ServiceName(call.Service)}:{call.Operation}";
        var global = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["aws:RequestedRegion"] = region };
        List<(string Arn, Dictionary<string, string> Context)> resources;
        lock (state.Sync)
        {
            resources = call.Service switch
            {
                AwsService.Ec2 => Ec2Resources(call, region, global),
                AwsService.Route53 => Route53Resources(call.Operation, Uri.UnescapeDataString(rawPath), global),
                AwsService.DynamoDb => DynamoDbResources(call.Operation, body, region, global),
                _ => [("*", global)],
            };
        }

        if (resources.Count == 0)
        {
            // A request that names no resource (e.g. StopInstances without an instance ID) is evaluated against "*",
            // as IAM evaluates an action without resource-level permissions; it is never allowed for want of a resource.
            resources = [("*", global)];
        }

        var verdicts = resources.Select(r => policy.Evaluate(new IamRequest(action, [r.Arn], r.Context))).ToList();
        var denied = verdicts.FirstOrDefault(v => v.Decision == IamDecision.ExplicitDeny) ?? verdicts.FirstOrDefault(v => v.Decision == IamDecision.ImplicitDeny);
        return denied is null ? null : Denied(call.Service, action, denied);
    }

    /// <summary>The service's own refusal, naming the caller, the action, the resource and why.</summary>
    public static AwsErrorException Denied(AwsService service, string action, IamVerdict verdict)
    {
        var why = verdict.Decision == IamDecision.ExplicitDeny
            ? "with an explicit deny in an identity-based policy"
            : $"because no identity-based policy allows the {action} action";
        var on = verdict.DeniedResource is null or "*" ? string.Empty : $" on resource: {verdict.DeniedResource}";
        var message = $"User: {Caller} is not authorized to perform: {action}{on} {why}";
        return service switch
        {
            AwsService.Ec2 => new AwsErrorException("UnauthorizedOperation", $"You are not authorized to perform this operation. {message}", 403),
            AwsService.DynamoDb => new AwsErrorException("AccessDeniedException", message, 400),
            _ => new AwsErrorException("AccessDenied", message, 403),
        };
    }

    private List<(string, Dictionary<string, string>)> Ec2Resources(AwsCallInfo call, string region, Dictionary<string, string> global)
    {
        var p = call.Query!;
        var ec2 = state.Region(region);
        global["ec2:Region"] = region;
        string Arn(string resource) => $"arn:aws:ec2:{region}:{Ec2Handler.OwnerId}:{resource}";
        (string, Dictionary<string, string>) With(string resource, string? vpcId)
        {
            var context = new Dictionary<string, string>(global, StringComparer.OrdinalIgnoreCase);
            if (vpcId is not null)
            {
                context["ec2:Vpc"] = Arn($"vpc/{vpcId}");
            }

            return (Arn(resource), context);
        }

        (string, Dictionary<string, string>) RouteTable(string? id) => With($"route-table/{id}", id is not null && ec2.RouteTables.TryGetValue(id, out var t) ? t.VpcId : null);
        (string, Dictionary<string, string>) Eni(string? id) => With($"network-interface/{id}", id is not null && ec2.Enis.TryGetValue(id, out var e) ? e.VpcId : null);
        (string, Dictionary<string, string>) Instance(string id) => With($"instance/{id}", ec2.Instances.TryGetValue(id, out var i) ? i.VpcId : null);
        (string, Dictionary<string, string>) Address(string? allocationId) => With($"elastic-ip/{allocationId}", null);

        switch (call.Operation)
        {
            case "ReplaceRoute" or "CreateRoute" or "DeleteRoute" or "DeleteRouteTable" or "ReplaceRouteTableAssociation" or "AssociateRouteTable":
                return [RouteTable(p.Get("RouteTableId"))];
            case "AssociateAddress":
            {
                var allocation = p.Get("AllocationId") ?? ec2.Addresses.Values.FirstOrDefault(a => a.PublicIp == p.Get("PublicIp"))?.AllocationId;
                List<(string, Dictionary<string, string>)> list = [Address(allocation)];
                if (p.Get("NetworkInterfaceId") is { } eni)
                {
                    list.Add(Eni(eni));
                }

                if (p.Get("InstanceId") is { } instance)
                {
                    list.Add(Instance(instance));
                }

                return list;
            }

            case "DisassociateAddress":
            {
                var address = p.Get("AssociationId") is { } association
                    ? ec2.Addresses.Values.FirstOrDefault(a => a.AssociationId == association)
                    : ec2.Addresses.Values.FirstOrDefault(a => a.PublicIp == p.Get("PublicIp"));
                return [Address(address?.AllocationId ?? "*")];
            }

            case "StopInstances" or "StartInstances" or "TerminateInstances":
                return p.List("InstanceId").Select(Instance).ToList();
            case "AssignPrivateIpAddresses" or "UnassignPrivateIpAddresses" or "ModifyNetworkInterfaceAttribute":
                return [Eni(p.Get("NetworkInterfaceId"))];
            default:
                return [("*", global)];
        }
    }

    private static List<(string, Dictionary<string, string>)> Route53Resources(string operation, string path, Dictionary<string, string> global)
    {
        var parts = path.Length > Route53Handler.Prefix.Length ? path[Route53Handler.Prefix.Length..].TrimEnd('/').Split('/') : [];
        return (operation, parts) switch
        {
            ("GetHostedZone" or "DeleteHostedZone" or "AssociateVPCWithHostedZone" or "ChangeResourceRecordSets" or "ListResourceRecordSets" or "UpdateHostedZoneComment", [_, var zone, ..]) => [($"arn:aws:route53:::hostedzone/{zone}", global)],
            ("GetChange", [_, var change, ..]) => [($"arn:aws:route53:::change/{change}", global)],
            ("GetHealthCheck" or "UpdateHealthCheck" or "DeleteHealthCheck", [_, var check, ..]) => [($"arn:aws:route53:::healthcheck/{check}", global)],
            ("ChangeTagsForResource" or "ListTagsForResource", [_, var type, var id, ..]) => [($"arn:aws:route53:::{type}/{id}", global)],
            _ => [("*", global)],
        };
    }

    /// <summary>The table's ARN; a Query or Scan of an index, the index's (<c>table/&lt;name&gt;/index/&lt;index&gt;</c>); the tag calls, the ARN they name.</summary>
    private static List<(string, Dictionary<string, string>)> DynamoDbResources(string operation, byte[] body, string region, Dictionary<string, string> global)
    {
        if (operation == "ListTables")
        {
            return [("*", global)];
        }

        if (Member(body, "ResourceArn") is { } arn)
        {
            return [(arn, global)];
        }

        var table = Member(body, "TableName");
        var index = operation is "Query" or "Scan" ? Member(body, "IndexName") : null;
        return table is null
            ? [("*", global)]
            : [($"arn:{Regions.AwsRegions.Partition(region)}:dynamodb:{region}:{Ec2Handler.OwnerId}:table/{table}{(index is null ? string.Empty : "/index/" + index)}", global)];
    }

    private static string? Member(byte[] body, string name)
    {
        try
        {
            return body.Length > 0 && JsonNode.Parse(body) is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var value) ? value : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
