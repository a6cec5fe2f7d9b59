using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Extensions.NETCore.Setup;
using ClusterPro.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.Aws.Iam;

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
