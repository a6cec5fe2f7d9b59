using Amazon.EC2;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Host;
using ClusterPro.Resources;
using Microsoft.Extensions.DependencyInjection;

namespace ClusterPro.Aws.SecondaryIp;

/// <summary>The AWS secondary IP resource's registration: its checks, resource, monitor and IAM statements.</summary>
internal static class AwsSecondaryIpKind
{
    public static readonly AwsResourceKind<AwsSecondaryIpOptions, AwsSecondaryIpResource> Instance = new()
    {
        Rules = (o, path, nodes, errors) =>
        {
            AwsSettingChecks.CheckIpv4(o.Ip, $"{path}:Ip", "secondary IP", errors);
            AwsSettingChecks.CheckId(o.EniId, $"{path}:EniId", "eni", nodes, errors);
            AwsSettingChecks.CheckOnePerNode(o.EniId, $"{path}:EniId", "ENI", nodes, errors);
            PerNodeSetting.Validate(o.InterfaceName, $"{path}:InterfaceName", nodes, required: true, errors);
        },
        CreateResource = (sp, name, o) => new AwsSecondaryIpResource(name, o, sp.GetRequiredService<IAmazonEC2>(), sp.GetRequiredService<IHostAddressManagerProvider>(), sp.Time(), sp.Logger<AwsSecondaryIpResource>()),
        CreateMonitor = (sp, name, resource, o) => new AwsSecondaryIpMonitor(name, resource, o, sp.GetRequiredService<IHostAddressManagerProvider>(), sp.Logger<AwsSecondaryIpMonitor>()),
        Policy = (sp, o) => new SecondaryIpPolicy(o, sp),
    };
}
