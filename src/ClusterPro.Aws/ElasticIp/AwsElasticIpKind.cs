using Amazon.EC2;
using ClusterPro.Aws.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;

namespace ClusterPro.Aws.ElasticIp;

/// <summary>The AWS Elastic IP resource's registration: its checks, resource, monitor and IAM statements.</summary>
internal static class AwsElasticIpKind
{
    public static readonly AwsResourceKind<AwsElasticIpOptions, AwsElasticIpResource> Instance = new()
    {
        Rules = (o, path, nodes, errors) =>
        {
            if (string.IsNullOrWhiteSpace(o.AllocationId))
            {
                errors.Add($"{path}:AllocationId is empty; set the Elastic IP's allocation ID (eipalloc-…).");
            }

            AwsSettingChecks.CheckIdValue(o.AllocationId, $"{path}:AllocationId", "eipalloc", errors);
            AwsSettingChecks.CheckId(o.EniId, $"{path}:EniId", "eni", nodes, errors);
            AwsSettingChecks.CheckOnePerNode(o.EniId, $"{path}:EniId", "ENI", nodes, errors);
        },
        CreateResource = (sp, name, o) => new AwsElasticIpResource(name, o, sp.GetRequiredService<IAmazonEC2>(), sp.Time(), sp.Logger<AwsElasticIpResource>()),
        CreateMonitor = (sp, name, resource, o) => new AwsElasticIpMonitor(name, resource, o, sp.Logger<AwsElasticIpMonitor>()),
        Policy = (sp, o) => new ElasticIpPolicy(o, sp),
    };
}
