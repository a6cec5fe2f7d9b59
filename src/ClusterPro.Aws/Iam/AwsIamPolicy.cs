using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Extensions.NETCore.Setup;
using ClusterPro.Aws.ElasticIp;
using ClusterPro.Aws.SecondaryIp;
using ClusterPro.Aws.VirtualIp;
using ClusterPro.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.Aws.Iam;

/// <summary>One IAM policy statement (Effect Allow).</summary>
/// <param name="Actions">The actions (e.g. <c>ec2:ReplaceRoute</c>).</param>
/// <param name="Resources">The resource ARNs, or <c>*</c> where the action supports no resource-level permission.</param>
/// <param name="ConditionOperator">An optional condition operator (e.g. <c>ArnLike</c>).</param>
/// <param name="ConditionKey">The condition key (e.g. <c>ec2:Vpc</c>).</param>
/// <param name="ConditionValues">The condition values.</param>
public sealed record IamStatement(
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> Resources,
    string? ConditionOperator = null,
    string? ConditionKey = null,
    IReadOnlyList<string>? ConditionValues = null);

/// <summary>Contributes the statements one configured resource or monitor needs.</summary>
public interface IAwsIamPolicyContributor
{
    /// <summary>The statements.</summary>
    /// <returns>The statements.</returns>
    IEnumerable<IamStatement> Statements();
}

/// <summary>
/// The least-privilege IAM policy for the configured cluster: only the actions its resources and monitors call,
/// with resource ARNs where EC2 supports them (ReplaceRoute limited to route tables of the cluster's VPCs,
/// AssociateAddress to its allocations and ENIs) and <c>*</c> only for Describe calls, which take no resource.
/// </summary>
public sealed class AwsIamPolicy(IEnumerable<IAwsIamPolicyContributor> contributors)
{
    /// <summary>The merged statements.</summary>
    public IReadOnlyList<IamStatement> Statements
    {
        get
        {
            var merged = new List<IamStatement>();
            foreach (var group in contributors.SelectMany(c => c.Statements())
                .GroupBy(s => string.Join('|', s.Resources.Order(StringComparer.Ordinal)) + "#" + s.ConditionOperator + s.ConditionKey + string.Join('|', s.ConditionValues ?? [])))
            {
                var first = group.First();
                merged.Add(first with
                {
                    Actions = group.SelectMany(s => s.Actions).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                    Resources = first.Resources.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                    ConditionValues = group.SelectMany(s => s.ConditionValues ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } v ? v : null,
                });
            }

            return merged;
        }
    }

    /// <summary>The policy document as JSON.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        var statements = new JsonArray();
        var n = 0;
        foreach (var s in Statements)
        {
            var statement = new JsonObject
            {
                ["Sid"] = $"ClusterPro{++n}",
                ["Effect"] = "Allow",
                ["Action"] = new JsonArray(s.Actions.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
                ["Resource"] = s.Resources.Count == 1 ? JsonValue.Create(s.Resources[0]) : new JsonArray(s.Resources.Select(r => (JsonNode)JsonValue.Create(r)!).ToArray()),
            };
            if (s.ConditionOperator is not null && s.ConditionKey is not null && s.ConditionValues is not null)
            {
                statement["Condition"] = new JsonObject
                {
                    [s.ConditionOperator] = new JsonObject { [s.ConditionKey] = new JsonArray(s.ConditionValues.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray()) },
                };
            }

            statements.Add(statement);
        }

        var document = new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    internal static string Region(IServiceProvider sp) =>
        sp.GetService<AWSOptions>()?.Region?.SystemName
        ?? Environment.GetEnvironmentVariable("AWS_REGION")
        ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION")
        ?? "*";

    internal static IReadOnlyList<string> Nodes(IServiceProvider sp) => sp.GetRequiredService<IOptions<ClusterProOptions>>().Value.NodeNames;

    internal static string Arn(string region, string resource) => $"arn:aws:ec2:{region}:*:{resource}";
}

internal sealed class VirtualIpPolicy(AwsVirtualIpOptions options, IServiceProvider sp) : IAwsIamPolicyContributor
{
    public IEnumerable<IamStatement> Statements()
    {
        var region = AwsIamPolicy.Region(sp);
        var vpcs = AwsIamPolicy.Nodes(sp).Select(n => options.VpcId.Resolve(n)).OfType<string>().Distinct(StringComparer.Ordinal);
        yield return new IamStatement(["ec2:DescribeRouteTables", "ec2:DescribeVpcs"], ["*"]);
        yield return new IamStatement(["ec2:ReplaceRoute"], [AwsIamPolicy.Arn(region, "route-table/*")], "ArnLike", "ec2:Vpc", vpcs.Select(v => AwsIamPolicy.Arn(region, $"vpc/{v}")).ToList());
    }
}

internal sealed class ElasticIpPolicy(AwsElasticIpOptions options, IServiceProvider sp) : IAwsIamPolicyContributor
{
    public IEnumerable<IamStatement> Statements()
    {
        var region = AwsIamPolicy.Region(sp);
        var enis = AwsIamPolicy.Nodes(sp).Select(n => options.EniId.Resolve(n)).OfType<string>().Distinct(StringComparer.Ordinal);
        var address = AwsIamPolicy.Arn(region, $"elastic-ip/{options.AllocationId}");
        yield return new IamStatement(["ec2:DescribeAddresses"], ["*"]);
        yield return new IamStatement(["ec2:AssociateAddress"], [address, .. enis.Select(e => AwsIamPolicy.Arn(region, $"network-interface/{e}"))]);
        yield return new IamStatement(["ec2:DisassociateAddress"], [address]);
    }
}

internal sealed class SecondaryIpPolicy(AwsSecondaryIpOptions options, IServiceProvider sp) : IAwsIamPolicyContributor
{
    public IEnumerable<IamStatement> Statements()
    {
        var region = AwsIamPolicy.Region(sp);
        var enis = AwsIamPolicy.Nodes(sp).Select(n => options.EniId.Resolve(n)).OfType<string>().Distinct(StringComparer.Ordinal);
        yield return new IamStatement(["ec2:DescribeNetworkInterfaces"], ["*"]);
        yield return new IamStatement(["ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"], enis.Select(e => AwsIamPolicy.Arn(region, $"network-interface/{e}")).ToList());
    }
}

internal sealed class DnsPolicy(Dns.AwsDnsOptions options) : IAwsIamPolicyContributor
{
    public IEnumerable<IamStatement> Statements()
    {
        var zone = $"arn:aws:route53:::hostedzone/{options.HostedZoneId?.Replace("/hostedzone/", string.Empty, StringComparison.Ordinal)}";
        yield return new IamStatement(["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"], [zone]);
        if (options.WaitForInsync)
        {
            yield return new IamStatement(["route53:GetChange"], ["arn:aws:route53:::change/*"]);
        }
    }
}

internal sealed class FencingPolicy(Fencing.AwsFencingOptions options, IServiceProvider sp) : IAwsIamPolicyContributor
{
    public IEnumerable<IamStatement> Statements()
    {
        var region = AwsIamPolicy.Region(sp);
        var instances = AwsIamPolicy.Nodes(sp).Select(n => options.InstanceId.Resolve(n)).OfType<string>().Distinct(StringComparer.Ordinal);
        yield return new IamStatement(["ec2:DescribeInstances"], ["*"]);
        yield return new IamStatement(["ec2:StopInstances"], instances.Select(i => AwsIamPolicy.Arn(region, $"instance/{i}")).ToList());
    }
}

internal sealed class AzPolicy : IAwsIamPolicyContributor
{
    public IEnumerable<IamStatement> Statements()
    {
        yield return new IamStatement(["ec2:DescribeAvailabilityZones"], ["*"]);
    }
}
