using ClusterPro.Aws.Iam;

namespace ClusterPro.Aws.Dns;

/// <summary>The IAM statements this resource needs.</summary>
internal sealed class DnsPolicy(AwsDnsOptions options) : IAwsIamPolicyContributor
{
    private string Zone => $"arn:aws:route53:::hostedzone/{options.HostedZoneId?.Replace("/hostedzone/", string.Empty, StringComparison.Ordinal)}";

    public IEnumerable<IamStatement> Statements()
    {
        yield return new IamStatement(["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"], [Zone]);
        if (options.WaitForInsync)
        {
            yield return new IamStatement(["route53:GetChange"], ["arn:aws:route53:::change/*"]);
        }
    }

    public IEnumerable<IamStatement> PreflightStatements()
    {
        yield return new IamStatement(["route53:GetHostedZone"], [Zone]);
    }
}
