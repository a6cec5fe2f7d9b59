using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>Creates AWS-shaped IDs and addresses (deterministic for a given seed).</summary>
internal sealed class IdGenerator(int seed)
{
    private readonly Random _random = new(seed);
    private int _publicHost = 10;

    public string Next(string prefix)
    {
        lock (_random)
        {
            Span<byte> bytes = stackalloc byte[9];
            _random.NextBytes(bytes);
            return prefix + "-" + Convert.ToHexStringLower(bytes)[..17];
        }
    }

    public string Upper(string prefix, int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        lock (_random)
        {
            var chars = new char[length];
            for (var i = 0; i < length; i++)
            {
                chars[i] = alphabet[_random.Next(alphabet.Length)];
            }

            return prefix + new string(chars);
        }
    }

    public string Mac()
    {
        lock (_random)
        {
            Span<byte> bytes = stackalloc byte[5];
            _random.NextBytes(bytes);
            return "0a:" + string.Join(':', bytes.ToArray().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>Public addresses come from the documentation ranges (never routed).</summary>
    public string PublicIp()
    {
        lock (_random)
        {
            var n = _publicHost++;
            return n < 250 ? $"203.0.113.{n}" : $"198.51.100.{n - 240}";
        }
    }
}

/// <summary>One region's EC2 state and the operations on it. Callers hold the emulator's state lock.</summary>
internal sealed class Ec2Region
{
    private readonly IdGenerator _ids;
    private readonly TimeProvider _time;
    private readonly Func<bool, TimeSpan> _stopDelay;
    private readonly Func<TimeSpan> _startDelay;

    public Ec2Region(string name, IdGenerator ids, TimeProvider time, Func<bool, TimeSpan> stopDelay, Func<TimeSpan> startDelay)
    {
        Name = name;
        _ids = ids;
        _time = time;
        _stopDelay = stopDelay;
        _startDelay = startDelay;
        foreach (var (zone, zoneId) in Regions.AwsRegions.ZonesOf(name))
        {
            Zones.Add(new ZoneModel { Name = zone, ZoneId = zoneId });
        }
    }

    public string Name { get; }

    public List<ZoneModel> Zones { get; } = [];

    public Dictionary<string, VpcModel> Vpcs { get; } = [];

    public Dictionary<string, SubnetModel> Subnets { get; } = [];

    public Dictionary<string, EniModel> Enis { get; } = [];

    public Dictionary<string, RouteTableModel> RouteTables { get; } = [];

    public Dictionary<string, AddressModel> Addresses { get; } = [];

    public Dictionary<string, InstanceModel> Instances { get; } = [];

    public Dictionary<string, SecurityGroupModel> SecurityGroups { get; } = [];

    /// <summary>Tags by resource ID.</summary>
    public Dictionary<string, Dictionary<string, string>> Tags { get; } = [];

    public IReadOnlyDictionary<string, string> TagsOf(string resourceId) => Tags.TryGetValue(resourceId, out var t) ? t : EmptyTags;

    private static readonly Dictionary<string, string> EmptyTags = [];

    public VpcModel Vpc(string id) => Vpcs.TryGetValue(id, out var v) ? v : throw new AwsErrorException("InvalidVpcID.NotFound", $"The vpc ID '{id}' does not exist");

    public SubnetModel Subnet(string id) => Subnets.TryGetValue(id, out var s) ? s : throw new AwsErrorException("InvalidSubnetID.NotFound", $"The subnet ID '{id}' does not exist");

    public EniModel Eni(string id) => Enis.TryGetValue(id, out var e) ? e : throw new AwsErrorException("InvalidNetworkInterfaceID.NotFound", $"The networkInterface ID '{id}' does not exist");

    public RouteTableModel RouteTable(string id) => RouteTables.TryGetValue(id, out var r) ? r : throw new AwsErrorException("InvalidRouteTableID.NotFound", $"The routeTable ID '{id}' does not exist");

    public AddressModel Address(string allocationId) => Addresses.TryGetValue(allocationId, out var a) ? a : throw new AwsErrorException("InvalidAllocationID.NotFound", $"The allocation ID '{allocationId}' does not exist");

    public InstanceModel Instance(string id)
    {
        Refresh();
        return Instances.TryGetValue(id, out var i) ? i : throw new AwsErrorException("InvalidInstanceID.NotFound", $"The instance ID '{id}' does not exist");
    }

    public ZoneModel Zone(string name) =>
        Zones.FirstOrDefault(z => z.Name == name) ?? throw new AwsErrorException("InvalidParameterValue", $"Invalid availability zone: [{name}]");

    public VpcModel CreateVpc(string cidr)
    {
        var network = ParseCidr(cidr, "cidrBlock", 0, 32);
        if (network.PrefixLength is < 16 or > 28)
        {
            throw new AwsErrorException("InvalidVpc.Range", $"The CIDR '{cidr}' is invalid.");
        }

        var vpc = new VpcModel { Id = _ids.Next("vpc") };
        vpc.Cidrs.Add(new VpcCidr { AssociationId = _ids.Next("vpc-cidr-assoc"), Cidr = network.ToString() });
        Vpcs[vpc.Id] = vpc;
        var main = CreateRouteTable(vpc.Id);
        main.Associations.Add(new RouteTableAssociationModel { Id = _ids.Next("rtbassoc"), Main = true });
        vpc.MainRouteTableId = main.Id;
        var group = new SecurityGroupModel { Id = _ids.Next("sg"), Name = "default", Description = "default VPC security group", VpcId = vpc.Id, IsDefault = true };
        SecurityGroups[group.Id] = group;
        vpc.DefaultSecurityGroupId = group.Id;
        return vpc;
    }

    public VpcCidr AssociateVpcCidrBlock(string vpcId, string cidr)
    {
        var vpc = Vpc(vpcId);
        var network = ParseCidr(cidr, "cidrBlock", 0, 32);
        if (network.PrefixLength is < 16 or > 28)
        {
            throw new AwsErrorException("InvalidVpc.Range", $"The CIDR '{cidr}' is invalid.");
        }

        if (vpc.Cidrs.Any(c => Overlaps(IPNetwork.Parse(c.Cidr), network)))
        {
            throw new AwsErrorException("InvalidVpc.Range", $"The CIDR '{cidr}' conflicts with another subnet");
        }

        var association = new VpcCidr { AssociationId = _ids.Next("vpc-cidr-assoc"), Cidr = network.ToString() };
        vpc.Cidrs.Add(association);
        return association;
    }

    public SubnetModel CreateSubnet(string vpcId, string cidr, string? zoneName)
    {
        var vpc = Vpc(vpcId);
        var network = ParseCidr(cidr, "cidrBlock", 0, 32);
        if (network.PrefixLength is < 16 or > 28 || !vpc.Cidrs.Any(c => Within(network, IPNetwork.Parse(c.Cidr))))
        {
            throw new AwsErrorException("InvalidSubnet.Range", $"The CIDR '{cidr}' is invalid.");
        }

        if (Subnets.Values.Any(s => s.VpcId == vpcId && Overlaps(IPNetwork.Parse(s.Cidr), network)))
        {
            throw new AwsErrorException("InvalidSubnet.Conflict", $"The CIDR '{cidr}' conflicts with another subnet");
        }

        var zone = zoneName is null
            ? Zones[0]
            : Zones.FirstOrDefault(z => z.Name == zoneName) ?? throw new AwsErrorException(
                "InvalidParameterValue",
                $"Value ({zoneName}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: {string.Join(", ", Zones.Select(z => z.Name))}.");
        var subnet = new SubnetModel { Id = _ids.Next("subnet"), VpcId = vpcId, Cidr = network.ToString(), Zone = zone };
        Subnets[subnet.Id] = subnet;
        return subnet;
    }

    public EniModel CreateNetworkInterface(string subnetId, string? privateIp, string? description, IReadOnlyList<string>? groups = null)
    {
        var subnet = Subnet(subnetId);
        var groupIds = GroupsFor(subnet.VpcId, groups);
        var ip = privateIp ?? NextFreeIp(subnet);
        CheckAddressFree(subnet, ip);
        var eni = new EniModel
        {
            Id = _ids.Next("eni"),
            SubnetId = subnet.Id,
            VpcId = subnet.VpcId,
            Zone = subnet.Zone.Name,
            Mac = _ids.Mac(),
            PrimaryIp = ip,
            Description = description ?? string.Empty,
            Groups = groupIds,
        };
        Enis[eni.Id] = eni;
        return eni;
    }

    public InstanceModel RunInstance(string subnetId, string? privateIp, string? imageId, string? instanceType, IReadOnlyList<string>? groups = null)
    {
        var subnet = Subnet(subnetId);
        var eni = CreateNetworkInterface(subnetId, privateIp, "Primary network interface", groups);
        var instance = new InstanceModel
        {
            Id = _ids.Next("i"),
            SubnetId = subnet.Id,
            VpcId = subnet.VpcId,
            Zone = subnet.Zone.Name,
            PrimaryEniId = eni.Id,
            ImageId = imageId ?? "ami-00000000000000000",
            InstanceType = instanceType ?? "t3.micro",
            State = "running",
        };
        eni.InstanceId = instance.Id;
        eni.AttachmentId = _ids.Next("eni-attach");
        eni.DeviceIndex = 0;
        Instances[instance.Id] = instance;
        return instance;
    }

    public RouteTableModel CreateRouteTable(string vpcId)
    {
        var vpc = Vpc(vpcId);
        var table = new RouteTableModel { Id = _ids.Next("rtb"), VpcId = vpcId };
        foreach (var cidr in vpc.Cidrs)
        {
            table.Routes.Add(new RouteModel { Cidr = cidr.Cidr, GatewayId = "local", Origin = "CreateRouteTable" });
        }

        RouteTables[table.Id] = table;
        return table;
    }

    public string AssociateRouteTable(string routeTableId, string subnetId)
    {
        var table = RouteTable(routeTableId);
        var subnet = Subnet(subnetId);
        if (subnet.VpcId != table.VpcId)
        {
            throw new AwsErrorException("InvalidParameterValue", $"Route table {routeTableId} and subnet {subnetId} belong to different networks.");
        }

        foreach (var other in RouteTables.Values)
        {
            other.Associations.RemoveAll(a => a.SubnetId == subnetId);
        }

        var association = new RouteTableAssociationModel { Id = _ids.Next("rtbassoc"), SubnetId = subnetId };
        table.Associations.Add(association);
        return association.Id;
    }

    public void CreateRoute(string routeTableId, string cidr, string? eniId, string? instanceId, string? gatewayId)
    {
        var table = RouteTable(routeTableId);
        var destination = ParseCidr(cidr, "destinationCidrBlock", 0, 32).ToString();
        if (table.Routes.Any(r => r.Cidr == destination))
        {
            throw new AwsErrorException("RouteAlreadyExists", $"The route identified by {destination} already exists.");
        }

        var route = new RouteModel { Cidr = destination };
        SetTarget(table, route, eniId, instanceId, gatewayId);
        table.Routes.Add(route);
    }

    public void ReplaceRoute(string routeTableId, string cidr, string? eniId, string? instanceId, string? gatewayId)
    {
        var table = RouteTable(routeTableId);
        var route = FindRoute(table, cidr);
        SetTarget(table, route, eniId, instanceId, gatewayId);
    }

    public void DeleteRoute(string routeTableId, string cidr)
    {
        var table = RouteTable(routeTableId);
        table.Routes.Remove(FindRoute(table, cidr));
    }

    public AddressModel AllocateAddress()
    {
        var address = new AddressModel { AllocationId = _ids.Next("eipalloc"), PublicIp = _ids.PublicIp() };
        Addresses[address.AllocationId] = address;
        return address;
    }

    public string AssociateAddress(string? allocationId, string? publicIp, string? eniId, string? instanceId, string? privateIp, bool allowReassociation)
    {
        var address = allocationId is not null
            ? Address(allocationId)
            : Addresses.Values.FirstOrDefault(a => a.PublicIp == publicIp) ?? throw new AwsErrorException("InvalidAddress.NotFound", $"The address '{publicIp}' does not exist");
        EniModel eni;
        if (eniId is not null)
        {
            eni = Eni(eniId);
        }
        else if (instanceId is not null)
        {
            eni = Eni(Instance(instanceId).PrimaryEniId);
        }
        else
        {
            throw new AwsErrorException("MissingParameter", "Either an instance ID or a network interface ID must be specified.");
        }

        var target = privateIp ?? eni.PrimaryIp;
        if (target != eni.PrimaryIp && !eni.SecondaryIps.Contains(target))
        {
            throw new AwsErrorException("InvalidParameterValue", $"The private IP address {target} is not assigned to network interface {eni.Id}.");
        }

        if (address.AssociationId is not null && !allowReassociation && !(address.NetworkInterfaceId == eni.Id && address.PrivateIp == target))
        {
            throw new AwsErrorException("Resource.AlreadyAssociated", $"resource {address.AllocationId} is already associated with associate-id {address.AssociationId}");
        }

        // An address already on the target private IP is released from it (EC2 moves it).
        foreach (var other in Addresses.Values.Where(a => a != address && a.NetworkInterfaceId == eni.Id && a.PrivateIp == target))
        {
            if (!allowReassociation)
            {
                throw new AwsErrorException("Resource.AlreadyAssociated", $"resource {eni.Id} is already associated with associate-id {other.AssociationId}");
            }

            Disassociate(other);
        }

        address.AssociationId = _ids.Next("eipassoc");
        address.NetworkInterfaceId = eni.Id;
        address.PrivateIp = target;
        return address.AssociationId;
    }

    public void DisassociateAddress(string? associationId, string? publicIp)
    {
        if (associationId is null && publicIp is null)
        {
            throw new AwsErrorException("MissingParameter", "Either public IP or association id must be specified");
        }

        AddressModel? address = associationId is not null
            ? Addresses.Values.FirstOrDefault(a => a.AssociationId == associationId) ?? throw new AwsErrorException("InvalidAssociationID.NotFound", $"The association ID '{associationId}' does not exist")
            : Addresses.Values.FirstOrDefault(a => a.PublicIp == publicIp) ?? throw new AwsErrorException("InvalidAddress.NotFound", $"The address '{publicIp}' does not exist");
        Disassociate(address);
    }

    /// <summary>The security groups for a new interface: the named ones (which must be the VPC's), else the VPC's default group.</summary>
    private List<string> GroupsFor(string vpcId, IReadOnlyList<string>? groups)
    {
        if (groups is null || groups.Count == 0)
        {
            return Vpc(vpcId).DefaultSecurityGroupId is { } defaultGroup ? [defaultGroup] : [];
        }

        foreach (var id in groups)
        {
            if (SecurityGroup(id).VpcId != vpcId)
            {
                throw new AwsErrorException("InvalidParameter", $"Security group {id} and subnet belong to different networks.");
            }
        }

        return [.. groups];
    }

    public SecurityGroupModel SecurityGroup(string id) =>
        SecurityGroups.TryGetValue(id, out var g) ? g : throw new AwsErrorException("InvalidGroup.NotFound", $"The security group '{id}' does not exist");

    public SecurityGroupModel CreateSecurityGroup(string name, string description, string? vpcId)
    {
        if (vpcId is null)
        {
            throw new AwsErrorException("VPCIdNotSpecified", "No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.");
        }

        Vpc(vpcId);
        if (name.StartsWith("sg-", StringComparison.OrdinalIgnoreCase) || name.Length > 255)
        {
            throw new AwsErrorException("InvalidParameterValue", $"Value ({name}) for parameter GroupName is invalid. Group names may not be in the format sg-*.");
        }

        if (SecurityGroups.Values.Any(g => g.VpcId == vpcId && g.Name == name))
        {
            throw new AwsErrorException("InvalidGroup.Duplicate", $"The security group '{name}' already exists for VPC '{vpcId}'");
        }

        var group = new SecurityGroupModel { Id = _ids.Next("sg"), Name = name, Description = description, VpcId = vpcId };
        SecurityGroups[group.Id] = group;
        return group;
    }

    public void DeleteSecurityGroup(string id)
    {
        var group = SecurityGroup(id);
        if (group.IsDefault)
        {
            throw new AwsErrorException("CannotDelete", $"the specified group: \"{id}\" name: \"default\" cannot be deleted by a user");
        }

        if (Enis.Values.Any(e => e.Groups.Contains(id)))
        {
            throw new AwsErrorException("DependencyViolation", $"resource {id} has a dependent object");
        }

        SecurityGroups.Remove(id);
        Tags.Remove(id);
    }

    public void DeleteVpc(string id)
    {
        var vpc = Vpc(id);
        if (Subnets.Values.Any(s => s.VpcId == id) || RouteTables.Values.Any(t => t.VpcId == id && t.Id != vpc.MainRouteTableId)
            || SecurityGroups.Values.Any(g => g.VpcId == id && !g.IsDefault) || Enis.Values.Any(e => e.VpcId == id))
        {
            throw new AwsErrorException("DependencyViolation", $"The vpc '{id}' has dependencies and cannot be deleted.");
        }

        foreach (var resource in new[] { id, vpc.MainRouteTableId, vpc.DefaultSecurityGroupId }.OfType<string>())
        {
            RouteTables.Remove(resource);
            SecurityGroups.Remove(resource);
            Tags.Remove(resource);
        }

        Vpcs.Remove(id);
    }

    public void DeleteNetworkInterface(string id)
    {
        var eni = Eni(id);
        if (eni.InstanceId is not null)
        {
            throw new AwsErrorException("InvalidNetworkInterface.InUse", $"The network interface '{id}' is currently in use.");
        }

        foreach (var address in Addresses.Values.Where(a => a.NetworkInterfaceId == id))
        {
            Disassociate(address);
        }

        Enis.Remove(id);
        Tags.Remove(id);
    }

    public void DeleteSubnet(string id)
    {
        Subnet(id);
        if (Enis.Values.Any(e => e.SubnetId == id))
        {
            throw new AwsErrorException("DependencyViolation", $"The subnet '{id}' has dependencies and cannot be deleted.");
        }

        foreach (var table in RouteTables.Values)
        {
            table.Associations.RemoveAll(a => a.SubnetId == id);
        }

        Subnets.Remove(id);
        Tags.Remove(id);
    }

    public void ReleaseAddress(string? allocationId, string? publicIp)
    {
        var address = allocationId is not null
            ? Address(allocationId)
            : publicIp is not null
                ? Addresses.Values.FirstOrDefault(a => a.PublicIp == publicIp) ?? throw new AwsErrorException("InvalidAddress.NotFound", $"The address '{publicIp}' does not exist")
                : throw new AwsErrorException("MissingParameter", "Either public IP or allocation id must be specified");
        if (address.AssociationId is not null)
        {
            throw new AwsErrorException("InvalidIPAddress.InUse", $"Address {address.PublicIp} is in use.");
        }

        Addresses.Remove(address.AllocationId);
        Tags.Remove(address.AllocationId);
    }

    /// <summary>The resource type EC2 reports for an ID, after checking that it exists.</summary>
    public string ResourceType(string id)
    {
        var prefix = id.Contains('-', StringComparison.Ordinal) ? id[..id.LastIndexOf('-')] : id;
        switch (prefix)
        {
            case "vpc":
                Vpc(id);
                return "vpc";
            case "subnet":
                Subnet(id);
                return "subnet";
            case "eni":
                Eni(id);
                return "network-interface";
            case "rtb":
                RouteTable(id);
                return "route-table";
            case "eipalloc":
                Address(id);
                return "elastic-ip";
            case "i":
                Instance(id);
                return "instance";
            case "sg":
                SecurityGroup(id);
                return "security-group";
            default:
                throw new AwsErrorException("InvalidID", $"The ID '{id}' is not valid");
        }
    }

    public void SetTags(string resourceId, IEnumerable<(string Key, string Value)> tags)
    {
        if (!Tags.TryGetValue(resourceId, out var set))
        {
            set = new Dictionary<string, string>(StringComparer.Ordinal);
            Tags[resourceId] = set;
        }

        foreach (var (key, value) in tags)
        {
            set[key] = value;
        }

        if (set.Count > 50)
        {
            throw new AwsErrorException("TagLimitExceeded", "The maximum number of Tags for a resource has been reached.");
        }
    }

    public static void Disassociate(AddressModel address)
    {
        address.AssociationId = null;
        address.NetworkInterfaceId = null;
        address.PrivateIp = null;
    }

    public List<string> AssignPrivateIpAddresses(string eniId, IReadOnlyList<string> ips, int count, bool allowReassignment)
    {
        var eni = Eni(eniId);
        var subnet = Subnet(eni.SubnetId);
        var assigned = new List<string>();
        foreach (var ip in ips)
        {
            if (!IPAddress.TryParse(ip, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetwork || !IPNetwork.Parse(subnet.Cidr).Contains(parsed))
            {
                throw new AwsErrorException("InvalidParameterValue", $"Address {ip} does not fall within the subnet's address range");
            }

            var holder = Enis.Values.FirstOrDefault(e => e.PrimaryIp == ip || e.SecondaryIps.Contains(ip));
            if (holder == eni)
            {
                continue;
            }

            if (holder is not null)
            {
                if (!allowReassignment || holder.PrimaryIp == ip)
                {
                    throw new AwsErrorException("PrivateIpAddressInUse", $"Address {ip} is in use.");
                }

                holder.SecondaryIps.Remove(ip);
            }

            eni.SecondaryIps.Add(ip);
            assigned.Add(ip);
        }

        for (var i = 0; i < count; i++)
        {
            var ip = NextFreeIp(subnet);
            eni.SecondaryIps.Add(ip);
            assigned.Add(ip);
        }

        return assigned;
    }

    public void UnassignPrivateIpAddresses(string eniId, IReadOnlyList<string> ips)
    {
        var eni = Eni(eniId);
        foreach (var ip in ips)
        {
            if (!eni.SecondaryIps.Remove(ip))
            {
                throw new AwsErrorException("InvalidParameterValue", $"Some of the specified addresses are not assigned to interface {eniId}");
            }
        }
    }

    public List<(InstanceModel Instance, string Previous)> StopInstances(IReadOnlyList<string> ids, bool force)
    {
        var changes = ids.Select(Instance).ToList().Select(i => (i, i.State)).ToList();
        foreach (var (instance, previous) in changes)
        {
            if (previous is "running" or "pending")
            {
                instance.State = "stopping";
                instance.Transition = ("stopped", _time.GetUtcNow() + _stopDelay(force));
            }
            else if (previous is "stopping" && force && instance.Transition is { } t && _time.GetUtcNow() + _stopDelay(true) < t.Due)
            {
                instance.Transition = ("stopped", _time.GetUtcNow() + _stopDelay(true));
            }
        }

        Refresh();
        return changes;
    }

    public List<(InstanceModel Instance, string Previous)> StartInstances(IReadOnlyList<string> ids)
    {
        var changes = ids.Select(Instance).ToList().Select(i => (i, i.State)).ToList();
        foreach (var (instance, previous) in changes)
        {
            if (previous is "stopped")
            {
                instance.State = "pending";
                instance.Transition = ("running", _time.GetUtcNow() + _startDelay());
            }
            else if (previous is "stopping")
            {
                throw new AwsErrorException("IncorrectInstanceState", $"The instance '{instance.Id}' is not in a state from which it can be started.");
            }
        }

        Refresh();
        return changes;
    }

    /// <summary>Completes instance state transitions whose time has come.</summary>
    public void Refresh()
    {
        var now = _time.GetUtcNow();
        foreach (var instance in Instances.Values)
        {
            if (instance.Transition is { } t && now >= t.Due)
            {
                instance.State = t.Target;
                instance.Transition = null;
            }
        }
    }

    public string RouteState(RouteModel route)
    {
        if (route.NetworkInterfaceId is null)
        {
            return "active";
        }

        if (!Enis.TryGetValue(route.NetworkInterfaceId, out var eni))
        {
            return "blackhole";
        }

        return eni.InstanceId is null || (Instances.TryGetValue(eni.InstanceId, out var i) && i.State == "running") ? "active" : "blackhole";
    }

    private void SetTarget(RouteTableModel table, RouteModel route, string? eniId, string? instanceId, string? gatewayId)
    {
        if (eniId is not null)
        {
            var eni = Eni(eniId);
            if (eni.VpcId != table.VpcId)
            {
                throw new AwsErrorException("InvalidParameterValue", $"Route table {table.Id} and network interface {eniId} belong to different networks.");
            }

            route.NetworkInterfaceId = eni.Id;
            route.GatewayId = null;
        }
        else if (instanceId is not null)
        {
            route.NetworkInterfaceId = Instance(instanceId).PrimaryEniId;
            route.GatewayId = null;
        }
        else if (gatewayId is not null)
        {
            route.GatewayId = gatewayId;
            route.NetworkInterfaceId = null;
        }
        else
        {
            throw new AwsErrorException("MissingParameter", "The request must contain exactly one of gatewayId, natGatewayId, networkInterfaceId, vpcPeeringConnectionId or instanceId.");
        }
    }

    private static RouteModel FindRoute(RouteTableModel table, string cidr)
    {
        var destination = IPNetwork.TryParse(cidr, out var n) ? n.ToString() : cidr;
        return table.Routes.FirstOrDefault(r => r.Cidr == destination)
            ?? throw new AwsErrorException("InvalidRoute.NotFound", $"no route with destination-cidr-block {cidr} in route table {table.Id}");
    }

    private string NextFreeIp(SubnetModel subnet)
    {
        var network = IPNetwork.Parse(subnet.Cidr);
        var baseBytes = network.BaseAddress.GetAddressBytes();
        var baseValue = (uint)((baseBytes[0] << 24) | (baseBytes[1] << 16) | (baseBytes[2] << 8) | baseBytes[3]);
        var size = 1u << (32 - network.PrefixLength);
        while (subnet.NextHost < size - 1)
        {
            var value = baseValue + (uint)subnet.NextHost++;
            var ip = new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]).ToString();
            if (!Enis.Values.Any(e => e.PrimaryIp == ip || e.SecondaryIps.Contains(ip)))
            {
                return ip;
            }
        }

        throw new AwsErrorException("InsufficientFreeAddressesInSubnet", $"The specified subnet does not have enough free addresses to satisfy the request.");
    }

    private void CheckAddressFree(SubnetModel subnet, string ip)
    {
        if (!IPAddress.TryParse(ip, out var address) || address.AddressFamily != AddressFamily.InterNetwork || !IPNetwork.Parse(subnet.Cidr).Contains(address))
        {
            throw new AwsErrorException("InvalidParameterValue", $"Address {ip} does not fall within the subnet's address range");
        }

        if (Enis.Values.Any(e => e.PrimaryIp == ip || e.SecondaryIps.Contains(ip)))
        {
            throw new AwsErrorException("InvalidIPAddress.InUse", $"Address {ip} is in use.");
        }
    }

    internal static IPNetwork ParseCidr(string cidr, string parameter, int minPrefix, int maxPrefix)
    {
        if (!IPNetwork.TryParse(cidr, out var network) || network.BaseAddress.AddressFamily != AddressFamily.InterNetwork ||
            network.PrefixLength < minPrefix || network.PrefixLength > maxPrefix)
        {
            throw new AwsErrorException("InvalidParameterValue", $"Value ({cidr}) for parameter {parameter} is invalid. This is not a valid CIDR block.");
        }

        return network;
    }

    private static bool Within(IPNetwork inner, IPNetwork outer) => outer.PrefixLength <= inner.PrefixLength && outer.Contains(inner.BaseAddress);

    private static bool Overlaps(IPNetwork a, IPNetwork b) => a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress);
}
