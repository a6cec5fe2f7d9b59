using ClusterPro.Aws.Iam;

namespace ClusterPro.Aws.AvailabilityZone;

/// <summary>The IAM statements this resource needs.</summary>
internal sealed class AzPolicy : IAwsIamPolicyContributor
{
    public IEnumerable<IamStatement> Statements()
    {
        yield return new IamStatement(["ec2:DescribeAvailabilityZones"], ["*"]);
    }
}
