using System.Globalization;
using System.Xml.Linq;

namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>The EC2 Query API: parses an action's parameters, applies it to the region, answers in AWS's XML shapes.</summary>
internal static partial class Ec2Handler
{
    public const string OwnerId = "123456789012";
    public static readonly XNamespace Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private static readonly Dictionary<string, Func<QueryParams, Ec2Region, IEnumerable<object?>>> Actions = new(StringComparer.Ordinal)
    {
        ["CreateVpc"] = (p, r) =>
        {
            var vpc = r.CreateVpc(p.Required("CidrBlock"));
            ApplyTagSpecifications(p, "CreateVpc", r, ("vpc", vpc.Id));
            return [E("vpc", Vpc(r, vpc))];
        },
        ["DescribeVpcs"] = DescribeVpcs,
        ["AssociateVpcCidrBlock"] = (p, r) =>
        {
            var vpcId = p.Required("VpcId");
            var association = r.AssociateVpcCidrBlock(vpcId, p.Required("CidrBlock"));
            return [E("vpcId", vpcId), E("cidrBlockAssociation", CidrAssociation(association))];
        },
        ["CreateSubnet"] = (p, r) =>
        {
            var subnet = r.CreateSubnet(p.Required("VpcId"), p.Required("CidrBlock"), p.Get("AvailabilityZone"));
            ApplyTagSpecifications(p, "CreateSubnet", r, ("subnet", subnet.Id));
            return [E("subnet", Subnet(r, subnet))];
        },
        ["DescribeSubnets"] = DescribeSubnets,
        ["CreateNetworkInterface"] = (p, r) =>
        {
            var eni = r.CreateNetworkInterface(p.Required("SubnetId"), p.Get("PrivateIpAddress"), p.Get("Description"), p.List("SecurityGroupId"));
            ApplyTagSpecifications(p, "CreateNetworkInterface", r, ("network-interface", eni.Id));
            return [E("networkInterface", Eni(r, eni))];
        },
        ["DescribeNetworkInterfaces"] = DescribeNetworkInterfaces,
        ["ModifyNetworkInterfaceAttribute"] = (p, r) =>
        {
            var eni = r.Eni(p.Required("NetworkInterfaceId"));
            if (p.Get("SourceDestCheck.Value") is { } value)
            {
                eni.SourceDestCheck = p.BoolOrNull("SourceDestCheck.Value")!.Value;
            }
            else if (p.Get("Description.Value") is { } description)
            {
                eni.Description = description;
            }

            return [True()];
        },
        ["AssignPrivateIpAddresses"] = (p, r) =>
        {
            var eniId = p.Required("NetworkInterfaceId");
            var assigned = r.AssignPrivateIpAddresses(eniId, p.List("PrivateIpAddress"), p.Int("SecondaryPrivateIpAddressCount") ?? 0, p.Bool("AllowReassignment"));
            return [True(), E("networkInterfaceId", eniId), E("assignedPrivateIpAddressesSet", assigned.Select(ip => Item(E("privateIpAddress", ip))))];
        },
        ["UnassignPrivateIpAddresses"] = (p, r) =>
        {
            r.UnassignPrivateIpAddresses(p.Required("NetworkInterfaceId"), p.List("PrivateIpAddress"));
            return [True()];
        },
        ["CreateRouteTable"] = (p, r) =>
        {
            var table = r.CreateRouteTable(p.Required("VpcId"));
            ApplyTagSpecifications(p, "CreateRouteTable", r, ("route-table", table.Id));
            return [E("routeTable", RouteTable(r, table))];
        },
        ["AssociateRouteTable"] = (p, r) =>
        {
            var id = r.AssociateRouteTable(p.Required("RouteTableId"), p.Required("SubnetId"));
            return [E("associationId", id), E("associationState", E("state", "associated"))];
        },
        ["DescribeRouteTables"] = DescribeRouteTables,
        ["CreateRoute"] = (p, r) =>
        {
            r.CreateRoute(p.Required("RouteTableId"), p.Required("DestinationCidrBlock"), p.Get("NetworkInterfaceId"), p.Get("InstanceId"), p.Get("GatewayId"));
            return [True()];
        },
        ["ReplaceRoute"] = (p, r) =>
        {
            r.ReplaceRoute(p.Required("RouteTableId"), p.Required("DestinationCidrBlock"), p.Get("NetworkInterfaceId"), p.Get("InstanceId"), p.Get("GatewayId"));
            return [True()];
        },
        ["DeleteRoute"] = (p, r) =>
        {
            r.DeleteRoute(p.Required("RouteTableId"), p.Required("DestinationCidrBlock"));
            return [True()];
        },
        ["AllocateAddress"] = (p, r) =>
        {
            var a = r.AllocateAddress();
            ApplyTagSpecifications(p, "AllocateAddress", r, ("elastic-ip", a.AllocationId));
            return [E("publicIp", a.PublicIp), E("domain", "vpc"), E("allocationId", a.AllocationId), E("publicIpv4Pool", "amazon"), E("networkBorderGroup", r.Name)];
        },
        ["DescribeAddresses"] = DescribeAddresses,
        ["AssociateAddress"] = (p, r) =>
        {
            var id = r.AssociateAddress(p.Get("AllocationId"), p.Get("PublicIp"), p.Get("NetworkInterfaceId"), p.Get("InstanceId"), p.Get("PrivateIpAddress"), p.Bool("AllowReassociation"));
            return [True(), E("associationId", id)];
        },
        ["DisassociateAddress"] = (p, r) =>
        {
            r.DisassociateAddress(p.Get("AssociationId"), p.Get("PublicIp"));
            return [True()];
        },
        ["DescribeAvailabilityZones"] = DescribeAvailabilityZones,
        ["RunInstances"] = RunInstances,
        ["DescribeInstances"] = DescribeInstances,
        ["StopInstances"] = (p, r) => [E("instancesSet", r.StopInstances(p.List("InstanceId"), p.Bool("Force")).Select(c => StateChange(c.Instance, c.Previous)))],
        ["StartInstances"] = (p, r) => [E("instancesSet", r.StartInstances(p.List("InstanceId")).Select(c => StateChange(c.Instance, c.Previous)))],
        ["CreateTags"] = CreateTags,
        ["DeleteTags"] = DeleteTags,
        ["DescribeTags"] = DescribeTags,
        ["CreateSecurityGroup"] = CreateSecurityGroup,
        ["DescribeSecurityGroups"] = DescribeSecurityGroups,
        ["DeleteSecurityGroup"] = DeleteSecurityGroup,
        ["DeleteVpc"] = (p, r) =>
        {
            r.DeleteVpc(p.Required("VpcId"));
            return [True()];
        },
        ["DeleteNetworkInterface"] = (p, r) =>
        {
            r.DeleteNetworkInterface(p.Required("NetworkInterfaceId"));
            return [True()];
        },
        ["DeleteSubnet"] = (p, r) =>
        {
            r.DeleteSubnet(p.Required("SubnetId"));
            return [True()];
        },
        ["ReleaseAddress"] = (p, r) =>
        {
            r.ReleaseAddress(p.Get("AllocationId"), p.Get("PublicIp"));
            return [True()];
        },
    };

    public static bool Supports(string action) => Actions.ContainsKey(action);

    public static IEnumerable<string> Operations => Actions.Keys;

    /// <summary>Runs an action and returns the response document (the caller adds the request ID).</summary>
    public static XElement Handle(string action, QueryParams p, Ec2Region region, string requestId)
    {
        if (!Actions.TryGetValue(action, out var handler))
        {
            throw new AwsErrorException("InvalidAction", $"The action {action} is not valid for this web service.");
        }

        return new XElement(Ns + (action + "Response"), E("requestId", requestId), handler(p, region));
    }

    public static XElement Error(string code, string message, string requestId) =>
        new("Response", new XElement("Errors", new XElement("Error", new XElement("Code", code), new XElement("Message", message))), new XElement("RequestID", requestId));

    private static IEnumerable<object?> DescribeVpcs(QueryParams p, Ec2Region r)
    {
        var ids = p.List("VpcId");
        var vpcs = ids.Count > 0 ? ids.Select(r.Vpc) : r.Vpcs.Values;
        var filtered = Query.Filter(vpcs, p, (v, name) => name switch
        {
            "vpc-id" => [v.Id],
            "cidr" or "cidr-block-association.cidr-block" => v.Cidrs.Select(c => c.Cidr),
            "cidr-block-association.association-id" => v.Cidrs.Select(c => c.AssociationId),
            "state" => ["available"],
            "is-default" => ["false"],
            "owner-id" => [OwnerId],
            _ => null,
        }, v => r.TagsOf(v.Id)).ToList();
        var (page, next) = Query.Paginate(filtered, p, namedIds: ids.Count > 0);
        return [E("vpcSet", page.Select(v => Item(Vpc(r, v)))), Next(next)];
    }

    private static IEnumerable<object?> DescribeSubnets(QueryParams p, Ec2Region r)
    {
        var ids = p.List("SubnetId");
        var subnets = ids.Count > 0 ? ids.Select(r.Subnet) : r.Subnets.Values;
        var filtered = Query.Filter(subnets, p, (s, name) => name switch
        {
            "subnet-id" => [s.Id],
            "vpc-id" => [s.VpcId],
            "cidr-block" or "cidr" or "cidrBlock" => [s.Cidr],
            "availability-zone" or "availabilityZone" => [s.Zone.Name],
            "availability-zone-id" => [s.Zone.ZoneId],
            "state" => ["available"],
            _ => null,
        }, s => r.TagsOf(s.Id)).ToList();
        var (page, next) = Query.Paginate(filtered, p, namedIds: ids.Count > 0);
        return [E("subnetSet", page.Select(s => Item(Subnet(r, s)))), Next(next)];
    }

    private static IEnumerable<object?> DescribeNetworkInterfaces(QueryParams p, Ec2Region r)
    {
        var ids = p.List("NetworkInterfaceId");
        var enis = ids.Count > 0 ? ids.Select(r.Eni) : r.Enis.Values;
        var filtered = Query.Filter(enis, p, (e, name) => name switch
        {
            "network-interface-id" => [e.Id],
            "subnet-id" => [e.SubnetId],
            "vpc-id" => [e.VpcId],
            "availability-zone" => [e.Zone],
            "attachment.instance-id" => [e.InstanceId],
            "private-ip-address" or "addresses.private-ip-address" => [e.PrimaryIp, .. e.SecondaryIps],
            "mac-address" => [e.Mac],
            "source-dest-check" => [e.SourceDestCheck ? "true" : "false"],
            "status" => [e.InstanceId is null ? "available" : "in-use"],
            "group-id" => (IEnumerable<string?>)e.Groups,
            _ => null,
        }, e => r.TagsOf(e.Id)).ToList();
        var (page, next) = Query.Paginate(filtered, p, namedIds: ids.Count > 0);
        return [E("networkInterfaceSet", page.Select(e => Item(Eni(r, e)))), Next(next)];
    }

    private static IEnumerable<object?> DescribeRouteTables(QueryParams p, Ec2Region r)
    {
        r.Refresh();
        var ids = p.List("RouteTableId");
        var tables = ids.Count > 0 ? ids.Select(r.RouteTable) : r.RouteTables.Values;
        var filtered = Query.Filter(tables, p, (t, name) => name switch
        {
            "route-table-id" => [t.Id],
            "vpc-id" => [t.VpcId],
            "route.destination-cidr-block" => t.Routes.Select(x => x.Cidr),
            "route.network-interface-id" => t.Routes.Select(x => x.NetworkInterfaceId),
            "route.gateway-id" => t.Routes.Select(x => x.GatewayId),
            "route.state" => t.Routes.Select(r.RouteState),
            "association.subnet-id" => t.Associations.Select(a => a.SubnetId),
            "association.route-table-association-id" => t.Associations.Select(a => a.Id),
            "association.main" => t.Associations.Select(a => a.Main ? "true" : "false"),
            "owner-id" => [OwnerId],
            _ => null,
        }, t => r.TagsOf(t.Id)).ToList();
        var (page, next) = Query.Paginate(filtered, p, 5, 100, ids.Count > 0);
        return [E("routeTableSet", page.Select(t => Item(RouteTable(r, t)))), Next(next)];
    }

    private static IEnumerable<object?> DescribeAddresses(QueryParams p, Ec2Region r)
    {
        var allocationIds = p.List("AllocationId");
        var publicIps = p.List("PublicIp");
        IEnumerable<AddressModel> addresses = r.Addresses.Values;
        if (allocationIds.Count > 0)
        {
            addresses = allocationIds.Select(r.Address);
        }
        else if (publicIps.Count > 0)
        {
            addresses = publicIps.Select(ip => r.Addresses.Values.FirstOrDefault(a => a.PublicIp == ip)
                ?? throw new AwsErrorException("InvalidAddress.NotFound", $"Address '{ip}' not found."));
        }

        var filtered = Query.Filter(addresses, p, (a, name) => name switch
        {
            "allocation-id" => [a.AllocationId],
            "association-id" => [a.AssociationId],
            "public-ip" => [a.PublicIp],
            "network-interface-id" => [a.NetworkInterfaceId],
            "private-ip-address" => [a.PrivateIp],
            "instance-id" => [InstanceOf(r, a.NetworkInterfaceId)],
            "domain" => ["vpc"],
            _ => null,
        }, a => r.TagsOf(a.AllocationId));
        return [E("addressesSet", filtered.Select(a => Item(
            E("publicIp", a.PublicIp),
            E("allocationId", a.AllocationId),
            E("domain", "vpc"),
            Opt("associationId", a.AssociationId),
            Opt("networkInterfaceId", a.NetworkInterfaceId),
            Opt("networkInterfaceOwnerId", a.NetworkInterfaceId is null ? null : OwnerId),
            Opt("privateIpAddress", a.PrivateIp),
            Opt("instanceId", InstanceOf(r, a.NetworkInterfaceId)),
            E("publicIpv4Pool", "amazon"),
            E("networkBorderGroup", r.Name),
            TagSet(r, a.AllocationId))))];
    }

    private static IEnumerable<object?> DescribeAvailabilityZones(QueryParams p, Ec2Region r)
    {
        var names = p.List("ZoneName");
        var zones = names.Count > 0 ? names.Select(r.Zone) : r.Zones;
        var ids = p.List("ZoneId");
        if (ids.Count > 0)
        {
            zones = ids.Select(id => r.Zones.FirstOrDefault(z => z.ZoneId == id) ?? throw new AwsErrorException("InvalidParameterValue", $"Invalid availability zone: [{id}]"));
        }

        var filtered = Query.Filter(zones, p, (z, name) => name switch
        {
            "zone-name" => [z.Name],
            "zone-id" => [z.ZoneId],
            "state" => [z.State],
            "region-name" => [r.Name],
            "zone-type" => ["availability-zone"],
            _ => null,
        });
        return [E("availabilityZoneInfo", filtered.Select(z => Item(
            E("zoneName", z.Name),
            E("zoneState", z.State),
            E("regionName", r.Name),
            E("zoneId", z.ZoneId),
            E("zoneType", "availability-zone"),
            E("optInStatus", "opt-in-not-required"),
            E("groupName", r.Name),
            E("networkBorderGroup", r.Name),
            E("messageSet"))))];
    }

    private static IEnumerable<object?> RunInstances(QueryParams p, Ec2Region r)
    {
        var subnetId = p.Get("SubnetId") ?? p.Get("NetworkInterface.1.SubnetId")
            ?? throw new AwsErrorException("MissingParameter", "The request must contain the parameter SubnetId (this emulator launches into a subnet)");
        var count = Math.Max(1, p.Int("MinCount") ?? 1);
        var privateIp = p.Get("PrivateIpAddress") ?? p.Get("NetworkInterface.1.PrivateIpAddress");
        var instances = Enumerable.Range(0, count)
            .Select(i => r.RunInstance(subnetId, i == 0 ? privateIp : null, p.Get("ImageId"), p.Get("InstanceType"), p.List("SecurityGroupId").Concat(p.List("NetworkInterface.1.SecurityGroupId")).ToList()))
            .ToList();
        foreach (var instance in instances)
        {
            ApplyTagSpecifications(p, "RunInstances", r, ("instance", instance.Id), ("network-interface", instance.PrimaryEniId));
        }

        return [E("reservationId", "r-" + instances[0].Id[2..]), E("ownerId", OwnerId), E("groupSet", GroupSet(r, r.Eni(instances[0].PrimaryEniId).Groups)), E("instancesSet", instances.Select(i => Item(Instance(r, i))))];
    }

    private static IEnumerable<object?> DescribeInstances(QueryParams p, Ec2Region r)
    {
        r.Refresh();
        var ids = p.List("InstanceId");
        var instances = ids.Count > 0 ? ids.Select(r.Instance) : r.Instances.Values;
        var filtered = Query.Filter(instances, p, (i, name) => name switch
        {
            "instance-id" => [i.Id],
            "instance-state-name" => [i.State],
            "instance-state-code" => [InstanceModel.Code(i.State).ToString(CultureInfo.InvariantCulture)],
            "subnet-id" => [i.SubnetId],
            "vpc-id" => [i.VpcId],
            "availability-zone" => [i.Zone],
            "private-ip-address" => [r.Eni(i.PrimaryEniId).PrimaryIp],
            "network-interface.network-interface-id" => r.Enis.Values.Where(e => e.InstanceId == i.Id).Select(e => e.Id),
            "ip-address" => [PublicIpOf(r, r.Eni(i.PrimaryEniId))],
            "instance.group-id" or "group-id" => (IEnumerable<string?>)r.Eni(i.PrimaryEniId).Groups,
            _ => null,
        }, i => r.TagsOf(i.Id)).ToList();
        if (ids.Count > 0 && p.Get("MaxResults") is not null)
        {
            throw new AwsErrorException("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults");
        }

        var (page, next) = Query.Paginate(filtered, p, namedIds: ids.Count > 0);
        return [E("reservationSet", page.Select(i => Item(
            E("reservationId", "r-" + i.Id[2..]),
            E("ownerId", OwnerId),
            E("groupSet", GroupSet(r, r.Eni(i.PrimaryEniId).Groups)),
            E("instancesSet", Item(Instance(r, i)))))), Next(next)];
    }

    private static IEnumerable<object?> Vpc(Ec2Region r, VpcModel v) =>
    [
        E("vpcId", v.Id),
        E("ownerId", OwnerId),
        E("state", "available"),
        E("cidrBlock", v.Cidrs[0].Cidr),
        E("cidrBlockAssociationSet", v.Cidrs.Select(c => Item(CidrAssociation(c)))),
        E("dhcpOptionsId", "dopt-00000000000000000"),
        E("instanceTenancy", "default"),
        E("isDefault", "false"),
        TagSet(r, v.Id),
    ];

    private static IEnumerable<object?> CidrAssociation(VpcCidr c) =>
        [E("cidrBlock", c.Cidr), E("associationId", c.AssociationId), E("cidrBlockState", E("state", c.State))];

    private static IEnumerable<object?> Subnet(Ec2Region r, SubnetModel s) =>
    [
        E("subnetId", s.Id),
        E("subnetArn", $"arn:aws:ec2:{s.Zone.Name[..^1]}:{OwnerId}:subnet/{s.Id}"),
        E("state", "available"),
        E("vpcId", s.VpcId),
        E("cidrBlock", s.Cidr),
        E("availableIpAddressCount", "250"),
        E("availabilityZone", s.Zone.Name),
        E("availabilityZoneId", s.Zone.ZoneId),
        E("defaultForAz", "false"),
        E("mapPublicIpOnLaunch", "false"),
        E("mapCustomerOwnedIpOnLaunch", "false"),
        E("ownerId", OwnerId),
        E("assignIpv6AddressOnCreation", "false"),
        E("ipv6CidrBlockAssociationSet"),
        TagSet(r, s.Id),
        E("enableDns64", "false"),
        E("ipv6Native", "false"),
        E("privateDnsNameOptionsOnLaunch", E("hostnameType", "ip-name"), E("enableResourceNameDnsARecord", "false"), E("enableResourceNameDnsAAAARecord", "false")),
    ];

    private static IEnumerable<object?> Eni(Ec2Region r, EniModel e)
    {
        var addresses = r.Addresses.Values.Where(a => a.NetworkInterfaceId == e.Id).ToList();
        XElement? Association(string ip) => addresses.FirstOrDefault(a => a.PrivateIp == ip) is { } a
            ? E("association", E("publicIp", a.PublicIp), E("publicDnsName", string.Empty), E("ipOwnerId", OwnerId), E("allocationId", a.AllocationId), E("associationId", a.AssociationId))
            : null;
        return
        [
            E("networkInterfaceId", e.Id),
            E("subnetId", e.SubnetId),
            E("vpcId", e.VpcId),
            E("availabilityZone", e.Zone),
            E("description", e.Description),
            E("ownerId", OwnerId),
            E("requesterManaged", "false"),
            E("status", e.InstanceId is null ? "available" : "in-use"),
            E("macAddress", e.Mac),
            E("privateIpAddress", e.PrimaryIp),
            E("sourceDestCheck", e.SourceDestCheck ? "true" : "false"),
            E("interfaceType", "interface"),
            E("groupSet", GroupSet(r, e.Groups)),
            e.InstanceId is null ? null : E("attachment",
                E("attachmentId", e.AttachmentId),
                E("instanceId", e.InstanceId),
                E("instanceOwnerId", OwnerId),
                E("deviceIndex", e.DeviceIndex.ToString(CultureInfo.InvariantCulture)),
                E("status", "attached"),
                E("deleteOnTermination", "true")),
            Association(e.PrimaryIp),
            TagSet(r, e.Id),
            E("privateIpAddressesSet",
                new[] { (Ip: e.PrimaryIp, Primary: true) }.Concat(e.SecondaryIps.Select(ip => (Ip: ip, Primary: false)))
                    .Select(x => Item(E("privateIpAddress", x.Ip), E("primary", x.Primary ? "true" : "false"), Association(x.Ip)))),
        ];
    }

    private static IEnumerable<object?> RouteTable(Ec2Region r, RouteTableModel t) =>
    [
        E("routeTableId", t.Id),
        E("vpcId", t.VpcId),
        E("ownerId", OwnerId),
        E("routeSet", t.Routes.Select(route => Item(
            E("destinationCidrBlock", route.Cidr),
            Opt("gatewayId", route.GatewayId),
            Opt("networkInterfaceId", route.NetworkInterfaceId),
            Opt("instanceId", InstanceOf(r, route.NetworkInterfaceId)),
            Opt("instanceOwnerId", InstanceOf(r, route.NetworkInterfaceId) is null ? null : OwnerId),
            E("state", r.RouteState(route)),
            E("origin", route.Origin)))),
        E("associationSet", t.Associations.Select(a => Item(
            E("routeTableAssociationId", a.Id),
            E("routeTableId", t.Id),
            Opt("subnetId", a.SubnetId),
            E("main", a.Main ? "true" : "false"),
            E("associationState", E("state", "associated"))))),
        E("propagatingVgwSet"),
        TagSet(r, t.Id),
    ];

    private static IEnumerable<object?> Instance(Ec2Region r, InstanceModel i)
    {
        var eni = r.Eni(i.PrimaryEniId);
        return
        [
            E("instanceId", i.Id),
            E("imageId", i.ImageId),
            E("instanceState", E("code", InstanceModel.Code(i.State).ToString(CultureInfo.InvariantCulture)), E("name", i.State)),
            E("privateDnsName", $"ip-{eni.PrimaryIp.Replace('.', '-')}.{r.Name}.compute.internal"),
            E("instanceType", i.InstanceType),
            E("placement", E("availabilityZone", i.Zone), E("groupName", string.Empty), E("tenancy", "default")),
            E("subnetId", i.SubnetId),
            E("vpcId", i.VpcId),
            E("privateIpAddress", eni.PrimaryIp),
            Opt("ipAddress", PublicIpOf(r, eni)),
            E("sourceDestCheck", eni.SourceDestCheck ? "true" : "false"),
            E("groupSet", GroupSet(r, eni.Groups)),
            TagSet(r, i.Id),
            E("networkInterfaceSet", r.Enis.Values.Where(e => e.InstanceId == i.Id).OrderBy(e => e.DeviceIndex).Select(e => Item(
                E("networkInterfaceId", e.Id),
                E("subnetId", e.SubnetId),
                E("vpcId", e.VpcId),
                E("ownerId", OwnerId),
                E("status", "in-use"),
                E("macAddress", e.Mac),
                E("privateIpAddress", e.PrimaryIp),
                E("sourceDestCheck", e.SourceDestCheck ? "true" : "false"),
                E("groupSet", GroupSet(r, e.Groups)),
                PublicIpOf(r, e) is { } publicIp ? E("association", E("publicIp", publicIp), E("publicDnsName", string.Empty), E("ipOwnerId", OwnerId)) : null,
                E("attachment", E("attachmentId", e.AttachmentId), E("deviceIndex", e.DeviceIndex.ToString(CultureInfo.InvariantCulture)), E("status", "attached"), E("deleteOnTermination", "true")),
                E("privateIpAddressesSet", new[] { e.PrimaryIp }.Concat(e.SecondaryIps).Select((ip, n) => Item(E("privateIpAddress", ip), E("primary", n == 0 ? "true" : "false")))),
                E("interfaceType", "interface")))),
        ];
    }

    private static XElement StateChange(InstanceModel i, string previous) => Item(
        E("instanceId", i.Id),
        E("currentState", E("code", InstanceModel.Code(i.State).ToString(CultureInfo.InvariantCulture)), E("name", i.State)),
        E("previousState", E("code", InstanceModel.Code(previous).ToString(CultureInfo.InvariantCulture)), E("name", previous)));

    /// <summary>The Elastic IP on an interface's primary private address, which EC2 reports as the instance's public address.</summary>
    private static string? PublicIpOf(Ec2Region r, EniModel eni) =>
        r.Addresses.Values.FirstOrDefault(a => a.NetworkInterfaceId == eni.Id && a.PrivateIp == eni.PrimaryIp)?.PublicIp;

    private static string? InstanceOf(Ec2Region r, string? eniId) =>
        eniId is not null && r.Enis.TryGetValue(eniId, out var eni) ? eni.InstanceId : null;

    private static XElement True() => E("return", "true");

    private static XElement? Next(string? token) => token is null ? null : E("nextToken", token);

    private static XElement Item(params object?[] content) => E("item", content);

    private static XElement? Opt(string name, string? value) => value is null ? null : E(name, value);

    private static XElement E(string name, params object?[] content) => new(Ns + name, content);
}
