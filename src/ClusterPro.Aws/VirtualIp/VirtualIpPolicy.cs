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
        var tables = options.RouteTableIds.Count > 0
            ? options.RouteTableIds.Distinct(StringComparer.Ordinal).Select(t => AwsIamPolicy.Arn(region, $"route-table/{t}")).ToList()
            : [AwsIamPolicy.Arn(region, "route-table/*")];
        yield return new IamStatement(["ec2:ReplaceRoute"], tables, "ArnLike", "ec2:Vpc", vpcs.Select(v => AwsIamPolicy.Arn(region, $"vpc/{v}")).ToList());
    }

    public IEnumerable<IamStatement> PreflightStatements()
    {
        yield return new IamStatement(["ec2:DescribeNetworkInterfaces"], ["*"]);
    }
}
