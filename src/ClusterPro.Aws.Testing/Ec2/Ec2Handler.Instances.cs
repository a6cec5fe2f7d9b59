using System.Globalization;
using System.Xml.Linq;

namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>Instances: launch, describe, status and the state changes.</summary>
internal static partial class Ec2Handler
{
    private static readonly string[] UnmodelledLaunchParameters =
    [
        "LaunchTemplate", "InstanceMarketOptions", "ElasticGpuSpecification", "ElasticInferenceAccelerator", "CapacityReservationSpecification",
        "LicenseSpecification", "EnclaveOptions", "HibernationOptions", "KernelId", "RamdiskId", "Placement.HostId", "Placement.HostResourceGroupArn",
        "Placement.GroupName", "Placement.GroupId", "Placement.PartitionNumber", "Placement.Affinity", "Placement.SpreadDomain",
    ];

    private static IEnumerable<object?> RunInstances(QueryParams p, Ec2Region r)
    {
        NotModelled(p, UnmodelledLaunchParameters);
        if (OneOf(p, "Placement.Tenancy", "default", "dedicated", "host") is "host")
        {
            throw new AwsErrorException("UnsupportedOperation", "Dedicated hosts are not modelled by this emulator.");
        }

        var min = p.Int("MinCount") ?? throw new AwsErrorException("MissingParameter", "The request must contain the parameter MinCount");
        var max = p.Int("MaxCount") ?? throw new AwsErrorException("MissingParameter", "The request must contain the parameter MaxCount");
        if (min < 1 || max < min)
        {
            throw new AwsErrorException("InvalidParameterValue", min < 1
                ? $"Value ({min}) for parameter minCount is invalid. Expected a value greater than or equal to 1."
                : $"Value ({max}) for parameter maxCount is invalid. Expected a value greater than or equal to minCount ({min}).");
        }

        var imageId = p.Required("ImageId");
        var interfaces = p.HasPrefix("NetworkInterface") ? LaunchInterfaces(p) : [DefaultLaunchInterface(p, r)];
        if (max > 1 && (p.Get("PrivateIpAddress") is not null || interfaces.Any(i => i.Spec?.PrivateIp is not null)))
        {
            throw new AwsErrorException("InvalidParameterCombination", "A private IP address cannot be specified when launching more than one instance.");
        }

        var instances = r.RunInstances(new InstanceLaunch(interfaces)
        {
            Count = max,
            ImageId = imageId,
            InstanceType = p.Get("InstanceType"),
            KeyName = p.Get("KeyName"),
            DisableApiTermination = p.Bool("DisableApiTermination"),
            DisableApiStop = p.Bool("DisableApiStop"),
            Pending = true,
        });
        foreach (var instance in instances)
        {
            ApplyTagSpecifications(p, "RunInstances", r, [("instance", instance.Id), .. r.Enis.Values.Where(e => e.InstanceId == instance.Id).Select(e => ("network-interface", e.Id))]);
        }

        return [E("reservationId", instances[0].ReservationId), E("ownerId", OwnerId), E("groupSet"), E("instancesSet", instances.Select(i => Item(Instance(r, i))))];
    }

    private static IEnumerable<object?> DescribeInstances(QueryParams p, Ec2Region r)
    {
        var ids = p.List("InstanceId");
        if (ids.Count > 0 && p.Get("MaxResults") is not null)
        {
            throw new AwsErrorException("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults");
        }

        r.Refresh();
        var instances = ids.Count > 0 ? ids.Select(r.Instance) : r.Instances.Values;
        var filtered = Query.Filter(instances, p, (i, name) => InstanceField(r, i, name), i => r.TagsOf(i.Id)).ToList();
        var (page, next) = Query.Paginate(filtered, p, namedIds: ids.Count > 0);
        return [E("reservationSet", page.GroupBy(i => i.ReservationId).Select(g => Item(
            E("reservationId", g.Key),
            E("ownerId", OwnerId),
            E("groupSet"),
            E("instancesSet", g.Select(i => Item(Instance(r, i))))))), Next(next)];
    }

    private static IEnumerable<object?> DescribeInstanceStatus(QueryParams p, Ec2Region r)
    {
        var ids = p.List("InstanceId");
        if (ids.Count > 0 && p.Get("MaxResults") is not null)
        {
            throw new AwsErrorException("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults");
        }

        r.Refresh();
        var all = p.Bool("IncludeAllInstances");
        var instances = (ids.Count > 0 ? ids.Select(r.Instance) : r.Instances.Values).Where(i => all || i.State == "running");
        var filtered = Query.Filter(instances, p, (i, name) => name switch
        {
            "availability-zone" => [i.Zone],
            "instance-state-name" => [i.State],
            "instance-state-code" => [Number(InstanceModel.Code(i.State))],
            "instance-status.status" or "system-status.status" => [Status(i)],
            "instance-status.reachability" or "system-status.reachability" => [Reachability(i)],
            _ => null,
        }).ToList();
        var (page, next) = Query.Paginate(filtered, p, namedIds: ids.Count > 0);
        return [E("instanceStatusSet", page.Select(i => Item(
            E("instanceId", i.Id),
            E("availabilityZone", i.Zone),
            E("eventsSet"),
            E("instanceState", E("code", Number(InstanceModel.Code(i.State))), E("name", i.State)),
            E("systemStatus", StatusSummary(i)),
            E("instanceStatus", StatusSummary(i)),
            E("attachedEbsStatus", StatusSummary(i))))), Next(next)];

        static string Status(InstanceModel i) => i.State switch
        {
            "running" => "ok",
            "pending" => "initializing",
            _ => "not-applicable",
        };

        static string Reachability(InstanceModel i) => i.State switch
        {
            "running" => "passed",
            "pending" => "initializing",
            _ => "not-applicable",
        };

        static IEnumerable<object?> StatusSummary(InstanceModel i) =>
            [E("status", Status(i)), E("details", i.State is "running" or "pending" ? Item(E("name", "reachability"), E("status", Reachability(i))) : null)];
    }

    /// <summary>The instance-level network interface of a launch without <c>NetworkInterface.N</c>: its subnet, or the default subnet of the zone asked for (or of the first zone).</summary>
    private static LaunchInterface DefaultLaunchInterface(QueryParams p, Ec2Region r)
    {
        NotModelled(p, "Ipv4Prefix");
        var zone = p.Get("Placement.AvailabilityZone");
        SubnetModel subnet;
        if (p.Get("SubnetId") is { } subnetId)
        {
            subnet = r.Subnet(subnetId);
            if (zone is not null && zone != subnet.Zone.Name)
            {
                throw new AwsErrorException("InvalidParameterValue", $"Value ({zone}) for parameter availabilityZone is invalid. Subnet '{subnetId}' is in zone {subnet.Zone.Name}.");
            }
        }
        else
        {
            var vpc = r.DefaultVpc ?? throw new AwsErrorException("VPCIdNotSpecified", "No default VPC for this user. Specify a subnet.");
            if (zone is not null)
            {
                r.Zone(zone);
            }

            subnet = r.Subnets.Values.Where(s => s.VpcId == vpc.Id && s.DefaultForAz).OrderBy(s => r.Zones.FindIndex(z => z == s.Zone)).FirstOrDefault(s => zone is null || s.Zone.Name == zone)
                ?? throw new AwsErrorException("MissingInput", $"No subnets found for the default VPC '{vpc.Id}'. Please specify a subnet.");
        }

        var groups = p.List("SecurityGroupId").Concat(p.List("SecurityGroup").Select(name =>
            r.SecurityGroups.Values.FirstOrDefault(g => g.VpcId == subnet.VpcId && g.Name == name)?.Id
                ?? throw new AwsErrorException("InvalidGroup.NotFound", $"The security group '{name}' does not exist in VPC '{subnet.VpcId}'"))).ToList();
        var ipv6 = Enumerable.Range(1, 100).Select(i => p.Get($"Ipv6Address.{i}.Ipv6Address")).TakeWhile(a => a is not null).OfType<string>().ToList();
        return new LaunchInterface(0)
        {
            Spec = new InterfaceSpec(subnet.Id)
            {
                PrivateIp = p.Get("PrivateIpAddress"),
                Groups = groups,
                Ipv6Count = p.Int("Ipv6AddressCount") ?? 0,
                Ipv6Addresses = ipv6,
            },
        };
    }

    /// <summary><c>NetworkInterface.N.*</c>, which excludes the instance-level subnet, groups and addresses, as on EC2.</summary>
    private static List<LaunchInterface> LaunchInterfaces(QueryParams p)
    {
        foreach (var (parameter, message) in new[]
        {
            ("SubnetId", "Network interfaces and an instance-level subnet ID may not be specified on the same request"),
            ("SecurityGroupId", "Network interfaces and an instance-level security groups may not be specified on the same request"),
            ("SecurityGroup", "Network interfaces and an instance-level security groups may not be specified on the same request"),
            ("PrivateIpAddress", "Network interfaces and an instance-level private IP address should not be specified on the same request"),
            ("Ipv6AddressCount", "Network interfaces and an instance-level IPv6 address count should not be specified on the same request"),
            ("Ipv6Address", "Network interfaces and instance-level IPv6 addresses should not be specified on the same request"),
        })
        {
            if (p.HasPrefix(parameter))
            {
                throw new AwsErrorException("InvalidParameterCombination", message);
            }
        }

        var result = new List<LaunchInterface>();
        for (var n = 1; p.HasPrefix($"NetworkInterface.{n}"); n++)
        {
            var prefix = $"NetworkInterface.{n}.";
            NotModelled(p, prefix + "Ipv4Prefix", prefix + "Ipv4PrefixCount", prefix + "Ipv6Prefix", prefix + "Ipv6PrefixCount", prefix + "AssociateCarrierIpAddress", prefix + "EnaSrdSpecification", prefix + "ConnectionTrackingSpecification");
            if (OneOf(p, prefix + "InterfaceType", "interface", "efa", "efa-only", "trunk") is { } type and not "interface")
            {
                throw new AwsErrorException("UnsupportedOperation", $"The interface type {type} is not supported by this emulator.");
            }

            var deviceIndex = p.Int(prefix + "DeviceIndex") ?? throw new AwsErrorException("InvalidParameterValue", "Each network interface requires a device index.");
            var existing = p.Get(prefix + "NetworkInterfaceId");
            var subnetId = p.Get(prefix + "SubnetId");
            if ((existing is null) == (subnetId is null))
            {
                throw new AwsErrorException(existing is null ? "MissingParameter" : "InvalidParameterCombination", existing is null
                    ? "Each network interface requires either a subnet or a network interface ID."
                    : "A network interface ID and a subnet ID may not be specified for the same network interface.");
            }

            result.Add(new LaunchInterface(deviceIndex)
            {
                NetworkInterfaceId = existing,
                Spec = subnetId is null ? null : InterfaceSpecFrom(p, prefix, subnetId),
                AssociatePublicIp = p.BoolOrNull(prefix + "AssociatePublicIpAddress"),
                DeleteOnTermination = p.BoolOrNull(prefix + "DeleteOnTermination") ?? true,
            });
        }

        return result;
    }

    private static IEnumerable<string?>? InstanceField(Ec2Region r, InstanceModel i, string name)
    {
        var enis = r.Enis.Values.Where(e => e.InstanceId == i.Id).ToList();
        var primary = enis.FirstOrDefault(e => e.Id == i.PrimaryEniId);
        return name switch
        {
            "instance-id" => [i.Id],
            "reservation-id" => [i.ReservationId],
            "instance-state-name" => [i.State],
            "instance-state-code" => [Number(InstanceModel.Code(i.State))],
            "instance-type" => [i.InstanceType],
            "image-id" => [i.ImageId],
            "key-name" => [i.KeyName],
            "launch-index" => [Number(i.LaunchIndex)],
            "owner-id" => [OwnerId],
            "subnet-id" => [primary is null ? null : i.SubnetId],
            "vpc-id" => [primary is null ? null : i.VpcId],
            "availability-zone" => [i.Zone],
            "tenancy" or "placement.tenancy" => ["default"],
            "private-ip-address" => [primary?.PrimaryIp],
            "private-dns-name" => [primary is null ? null : r.PrivateDnsName(primary.PrimaryIp)],
            "ip-address" => [primary is null ? null : r.PublicIpOf(primary)],
            "dns-name" => [primary is null ? null : r.PublicDnsName(i.VpcId, r.PublicIpOf(primary))],
            "network-interface.network-interface-id" => enis.Select(e => e.Id),
            "network-interface.subnet-id" => enis.Select(e => e.SubnetId),
            "network-interface.vpc-id" => enis.Select(e => e.VpcId),
            "network-interface.addresses.private-ip-address" => enis.SelectMany(e => e.SecondaryIps.Prepend(e.PrimaryIp)),
            "network-interface.ipv6-addresses.ipv6-address" or "ipv6-address" => enis.SelectMany(e => e.Ipv6Addresses),
            "instance.group-id" or "group-id" or "network-interface.group-id" => primary?.Groups ?? [],
            "instance.group-name" or "group-name" or "network-interface.group-name" => (primary?.Groups ?? []).Select(g => r.SecurityGroups.TryGetValue(g, out var group) ? group.Name : null),
            "block-device-mapping.volume-id" => r.Volumes.Values.Where(v => v.Attachments.Any(a => a.InstanceId == i.Id)).Select(v => v.Id),
            "block-device-mapping.device-name" => r.Volumes.Values.SelectMany(v => v.Attachments).Where(a => a.InstanceId == i.Id).Select(a => a.Device),
            "architecture" => ["x86_64"],
            "root-device-type" => ["ebs"],
            "virtualization-type" => ["hvm"],
            "hypervisor" => ["xen"],
            _ => null,
        };
    }

    private static IEnumerable<object?> Instance(Ec2Region r, InstanceModel i)
    {
        var enis = r.Enis.Values.Where(e => e.InstanceId == i.Id).OrderBy(e => e.DeviceIndex).ToList();
        var primary = enis.FirstOrDefault(e => e.Id == i.PrimaryEniId);
        var publicIp = primary is null ? null : r.PublicIpOf(primary);
        var attached = r.Volumes.Values.SelectMany(v => v.Attachments.Where(a => a.InstanceId == i.Id).Select(a => (Volume: v, Attachment: a))).ToList();
        return
        [
            E("instanceId", i.Id),
            E("imageId", i.ImageId),
            E("instanceState", E("code", Number(InstanceModel.Code(i.State))), E("name", i.State)),
            E("privateDnsName", primary is null ? string.Empty : r.PrivateDnsName(primary.PrimaryIp)),
            E("dnsName", primary is null ? string.Empty : r.PublicDnsName(i.VpcId, publicIp)),
            E("reason", i.State is "stopped" or "stopping" or "shutting-down" or "terminated" ? "User initiated" : string.Empty),
            Opt("keyName", i.KeyName),
            E("amiLaunchIndex", Number(i.LaunchIndex)),
            E("productCodes"),
            E("instanceType", i.InstanceType),
            E("launchTime", Time(i.LaunchTime)),
            E("placement", E("availabilityZone", i.Zone), E("groupName", string.Empty), E("tenancy", "default")),
            E("monitoring", E("state", "disabled")),
            primary is null ? null : E("subnetId", i.SubnetId),
            primary is null ? null : E("vpcId", i.VpcId),
            Opt("privateIpAddress", primary?.PrimaryIp),
            Opt("ipAddress", publicIp),
            primary is null ? null : E("sourceDestCheck", Flag(primary.SourceDestCheck)),
            E("groupSet", GroupSet(r, primary?.Groups ?? [])),
            E("architecture", "x86_64"),
            E("rootDeviceType", "ebs"),
            E("rootDeviceName", "/dev/xvda"),
            E("blockDeviceMapping", attached.Select(x => Item(
                E("deviceName", x.Attachment.Device),
                E("ebs", E("volumeId", x.Volume.Id), E("status", "attached"), E("attachTime", Time(x.Attachment.AttachTime)), E("deleteOnTermination", Flag(x.Attachment.DeleteOnTermination)))))),
            E("virtualizationType", "hvm"),
            E("clientToken", string.Empty),
            TagSet(r, i.Id),
            E("hypervisor", "xen"),
            E("networkInterfaceSet", enis.Select(e => Item(
                E("networkInterfaceId", e.Id),
                E("subnetId", e.SubnetId),
                E("vpcId", e.VpcId),
                E("description", e.Description),
                E("ownerId", OwnerId),
                E("status", "in-use"),
                E("macAddress", e.Mac),
                E("privateIpAddress", e.PrimaryIp),
                E("privateDnsName", r.PrivateDnsName(e.PrimaryIp)),
                E("sourceDestCheck", Flag(e.SourceDestCheck)),
                E("groupSet", GroupSet(r, e.Groups)),
                r.PublicIpOf(e) is { } ip ? E("association", E("publicIp", ip), E("publicDnsName", r.PublicDnsName(e.VpcId, ip)), E("ipOwnerId", ip == e.AutoPublicIp ? "amazon" : OwnerId)) : null,
                E("attachment",
                    E("attachmentId", e.AttachmentId),
                    E("deviceIndex", Number(e.DeviceIndex)),
                    E("status", "attached"),
                    E("attachTime", Time(i.LaunchTime)),
                    E("deleteOnTermination", Flag(e.DeleteOnTermination)),
                    E("networkCardIndex", "0")),
                E("privateIpAddressesSet", e.SecondaryIps.Prepend(e.PrimaryIp).Select((ip, n) => Item(E("privateIpAddress", ip), E("privateDnsName", r.PrivateDnsName(ip)), E("primary", Flag(n == 0))))),
                E("ipv6AddressesSet", e.Ipv6Addresses.Select(ip => Item(E("ipv6Address", ip), E("isPrimaryIpv6", "false")))),
                E("interfaceType", "interface")))),
            Opt("ipv6Address", primary?.Ipv6Addresses.FirstOrDefault()),
            E("ebsOptimized", "false"),
            E("enaSupport", "true"),
            E("platformDetails", "Linux/UNIX"),
            E("usageOperation", "RunInstances"),
            E("metadataOptions", E("state", "applied"), E("httpTokens", "required"), E("httpPutResponseHopLimit", "2"), E("httpEndpoint", "enabled"), E("httpProtocolIpv6", "disabled"), E("instanceMetadataTags", "disabled")),
            E("currentInstanceBootMode", "legacy-bios"),
        ];
    }

    private static XElement StateChange(InstanceModel i, string previous) => Item(
        E("instanceId", i.Id),
        E("currentState", E("code", InstanceModel.Code(i.State).ToString(CultureInfo.InvariantCulture)), E("name", i.State)),
        E("previousState", E("code", InstanceModel.Code(previous).ToString(CultureInfo.InvariantCulture)), E("name", previous)));
}
