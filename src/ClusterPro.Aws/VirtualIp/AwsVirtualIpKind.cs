using Amazon.EC2;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Host;
using ClusterPro.Resources;
using Microsoft.Extensions.DependencyInjection;

namespace ClusterPro.Aws.VirtualIp;

/// <summary>The AWS Virtual IP resource's registration: its checks, resource, monitor and IAM statements.</summary>
internal static class AwsVirtualIpKind
{
    public static readonly AwsResourceKind<AwsVirtualIpOptions, AwsVirtualIpResource> Instance = new()
    {
        Rules = (o, path, nodes, errors) =>
        {
            AwsSettingChecks.CheckIpv4(o.Ip, $"{path}:Ip", "VIP", errors);
            AwsSettingChecks.CheckId(o.VpcId, $"{path}:VpcId", "vpc", nodes, errors);
            AwsSettingChecks.CheckId(o.EniId, $"{path}:EniId", "eni", nodes, errors);
            AwsSettingChecks.CheckOnePerNode(o.EniId, $"{path}:EniId", "ENI", nodes, errors);
            for (var i = 0; i < o.RouteTableIds.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(o.RouteTableIds[i]))
                {
                    errors.Add($"{path}:RouteTableIds:{i} is empty; give a route table ID (rtb-…) or remove the entry.");
                }
                else
                {
                    AwsSettingChecks.CheckIdValue(o.RouteTableIds[i], $"{path}:RouteTableIds:{i}", "rtb", errors);
                }
            }

            PerNodeSetting.Validate(o.InterfaceName, $"{path}:InterfaceName", nodes, required: true, errors);
        },
        CreateResource = (sp, name, o) => new AwsVirtualIpResource(name, o, sp.GetRequiredService<IAmazonEC2>(), sp.GetRequiredService<IHostAddressManagerProvider>(), sp.Time(), sp.Logger<AwsVirtualIpResource>()),
        CreateMonitor = (sp, name, resource, o) => new AwsVirtualIpMonitor(name, resource, o, sp.GetRequiredService<IAmazonEC2>(), sp.GetRequiredService<IHostAddressManagerProvider>(), sp.Logger<AwsVirtualIpMonitor>()),
        Policy = (sp, o) => new VirtualIpPolicy(o, sp),
    };
}
