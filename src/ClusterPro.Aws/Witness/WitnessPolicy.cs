using ClusterPro.Aws.Iam;
using ClusterPro.Witness;

namespace ClusterPro.Aws.Witness;

/// <summary>
/// The IAM statements of the DynamoDB witness, on the table's ARN only: describing, reading and writing it to run; creating
/// it (the sample host's witness-init) only among the set-up statements.
/// </summary>
internal sealed class WitnessPolicy(WitnessOptions options, IServiceProvider sp) : IAwsIamPolicyContributor
{
    public IEnumerable<IamStatement> Statements()
    {
        if (options.Table is { Length: > 0 } table)
        {
            yield return new IamStatement(["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], [Arn(AwsIamPolicy.Region(sp), table)]);
        }
    }

    public IEnumerable<IamStatement> SetupStatements()
    {
        if (options.Table is { Length: > 0 } table)
        {
            yield return new IamStatement(["dynamodb:CreateTable", "dynamodb:DescribeTable"], [Arn(AwsIamPolicy.Region(sp), table)]);
        }
    }

    /// <summary>The table's ARN, in any account (<c>*</c>) as the EC2 statements are.</summary>
    public static string Arn(string region, string table) => $"arn:aws:dynamodb:{region}:*:table/{table}";
}
