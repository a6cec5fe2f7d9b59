using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Extensions.NETCore.Setup;
using ClusterPro.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.Aws.Iam;

/// <summary>
/// The least-privilege IAM policy for the configured cluster: only the actions its resources, monitors, fencing and
/// witness call, with resource ARNs where AWS supports them (ReplaceRoute limited to route tables of the cluster's VPCs,
/// AssociateAddress to its allocations and ENIs, the witness's DynamoDB calls to its table) and <c>*</c> only for EC2
/// Describe calls, which take no resource. The read-only actions only the preflight (<c>doctor</c>) needs are in
/// <see cref="PreflightStatements"/> and in the policy by default (<see cref="AwsIamPolicyOptions.IncludePreflight"/>),
/// so every command an operator runs works with it. Actions needed only once to set the cluster up (creating the
/// witness table) are kept apart, in <see cref="SetupStatements"/>.
/// </summary>
public sealed class AwsIamPolicy(IEnumerable<IAwsIamPolicyContributor> contributors)
{
    /// <summary>The merged statements a node needs to run.</summary>
    public IReadOnlyList<IamStatement> Statements => Merge(contributors.SelectMany(c => c.Statements()));

    /// <summary>
    /// The merged statements needed only to set the cluster up once (e.g. <c>dynamodb:CreateTable</c> for the witness
    /// table, which the sample host's witness-init creates): for the operator who sets up, not for the nodes.
    /// </summary>
    public IReadOnlyList<IamStatement> SetupStatements => Merge(contributors.SelectMany(c => c.SetupStatements()));

    /// <summary>
    /// The merged read-only statements only the preflight (<c>doctor</c>) needs beyond <see cref="Statements"/>:
    /// <c>ec2:DescribeAvailabilityZones</c>, <c>ec2:DescribeNetworkInterfaces</c>, <c>route53:GetHostedZone</c> on the
    /// cluster's hosted zones.
    /// </summary>
    public IReadOnlyList<IamStatement> PreflightStatements => Merge(contributors.SelectMany(c => c.PreflightStatements()));

    /// <summary>The policy document for every command an operator runs (the preflight included), as JSON.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => ToJson(new AwsIamPolicyOptions());

    /// <summary>The policy document as JSON, the preflight included; with <paramref name="includeSetup"/>, the set-up statements too (Sids <c>ClusterProSetup1</c> …).</summary>
    /// <param name="includeSetup">Whether to add <see cref="SetupStatements"/>.</param>
    /// <returns>The JSON text.</returns>
    public string ToJson(bool includeSetup) => ToJson(new AwsIamPolicyOptions { IncludeSetup = includeSetup });

    /// <summary>The policy document as JSON, with or without the preflight's and the set-up's statements.</summary>
    /// <param name="options">What to include besides what a node needs to run.</param>
    /// <returns>The JSON text.</returns>
    public string ToJson(AwsIamPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var includeSetup = options.IncludeSetup;
        var statements = new JsonArray();
        var n = 0;
        var contributed = contributors.SelectMany(c => c.Statements());
        foreach (var s in Merge(options.IncludePreflight ? contributed.Concat(contributors.SelectMany(c => c.PreflightStatements())) : contributed))
        {
            statements.Add((JsonNode)ToJson(s, $"ClusterPro{++n}"));
        }

        n = 0;
        foreach (var s in includeSetup ? SetupStatements : [])
        {
            statements.Add((JsonNode)ToJson(s, $"ClusterProSetup{++n}"));
        }

        var document = new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static List<IamStatement> Merge(IEnumerable<IamStatement> statements)
    {
        var merged = new List<IamStatement>();
        foreach (var group in statements
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

    private static JsonObject ToJson(IamStatement s, string sid)
    {
        var statement = new JsonObject
        {
            ["Sid"] = sid,
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

        return statement;
    }

    internal static string Region(IServiceProvider sp) =>
        sp.GetService<AWSOptions>()?.Region?.SystemName
        ?? Environment.GetEnvironmentVariable("AWS_REGION")
        ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION")
        ?? "*";

    internal static IReadOnlyList<string> Nodes(IServiceProvider sp) => sp.GetRequiredService<IOptions<ClusterProOptions>>().Value.NodeNames;

    internal static string Arn(string region, string resource) => $"arn:aws:ec2:{region}:*:{resource}";
}
