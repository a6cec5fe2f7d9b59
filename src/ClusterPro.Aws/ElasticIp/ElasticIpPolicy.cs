using ClusterPro.Aws.Iam;

namespace ClusterPro.Aws.ElasticIp;

/// <summary>The IAM statements this resource needs.</summary>
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

    public IEnumerable<IamStatement> PreflightStatements()
    {
        yield return new IamStatement(["ec2:DescribeNetworkInterfaces"], ["*"]);
    }
}
