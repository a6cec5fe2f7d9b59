namespace ClusterPro.Aws.Iam;

/// <summary>The preflight's own call, whatever the cluster holds: <c>ec2:DescribeAvailabilityZones</c>, which checks the credentials and the region.</summary>
internal sealed class PreflightPolicy : IAwsIamPolicyContributor
{
    public IEnumerable<IamStatement> Statements() => [];

    public IEnumerable<IamStatement> PreflightStatements()
    {
        yield return new IamStatement(["ec2:DescribeAvailabilityZones"], ["*"]);
    }
}
