using ClusterPro.Aws.Iam;

namespace ClusterPro.Aws.Dns;

/// <summary>The IAM statements this resource needs.</summary>
internal sealed class DnsPolicy(AwsDnsOptions options) : IAwsIamPolicyContributor
{
    public IEnumerable<IamStatement> Statements()
    {
        var zone = $"arn:aws:route53:::hostedzone/{options.HostedZoneId?.Replace("/hostedzone/", string.Empty, StringComparison.Ordinal)}";
        yield return new IamStatement(["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"], [zone]);
        if (options.WaitForInsync)
        {
            yield return new IamStatement(["route53:GetChange"], ["arn:aws:route53:::change/*"]);
        }
    }
}
