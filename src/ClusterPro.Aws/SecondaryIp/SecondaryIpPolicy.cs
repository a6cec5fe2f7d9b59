using ClusterPro.Aws.Iam;

namespace ClusterPro.Aws.SecondaryIp;

/// <summary>The IAM statements this resource needs.</summary>
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
