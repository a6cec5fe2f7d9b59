using ClusterPro.Aws.Iam;

namespace ClusterPro.Aws.VirtualIp;

/// <summary>The IAM statements this resource needs.</summary>
internal sealed class VirtualIpPolicy(AwsVirtualIpOptions options, IServiceProvider sp) : IAwsIamPolicyContributor
{
    public IEnumerable<IamStatement> Statements()
    {
        var region = AwsIamPolicy.Region(sp);
        var vpcs = AwsIamPolicy.Nodes(sp).Select(n => options.VpcId.Resolve(n)).OfType<string>().Distinct(StringComparer.Ordinal);
        yield return new IamStatement(["ec2:DescribeRouteTables", "ec2:DescribeVpcs"], ["*"]);
        yield return new IamStatement(["ec2:ReplaceRoute"], [AwsIamPolicy.Arn(region, "route-table/*")], "ArnLike", "ec2:Vpc", vpcs.Select(v => AwsIamPolicy.Arn(region, $"vpc/{v}")).ToList());
    }

    public IEnumerable<IamStatement> PreflightStatements()
    {
        yield return new IamStatement(["ec2:DescribeNetworkInterfaces"], ["*"]);
    }
}
