using ClusterPro.Aws.Iam;

namespace ClusterPro.Aws.Fencing;

/// <summary>The IAM statements this resource needs.</summary>
internal sealed class FencingPolicy(AwsFencingOptions options, IServiceProvider sp) : IAwsIamPolicyContributor
{
    public IEnumerable<IamStatement> Statements()
    {
        var region = AwsIamPolicy.Region(sp);
        var instances = AwsIamPolicy.Nodes(sp).Select(n => options.InstanceId.Resolve(n)).OfType<string>().Distinct(StringComparer.Ordinal);
        yield return new IamStatement(["ec2:DescribeInstances"], ["*"]);
        yield return new IamStatement(["ec2:StopInstances"], instances.Select(i => AwsIamPolicy.Arn(region, $"instance/{i}")).ToList());
    }
}
