using System.Net;
using System.Net.Sockets;

namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>
/// One region's EC2 state and the operations on it, split by concern over partial files (network, routing,
/// addresses, instances, storage). Callers hold the emulator's state lock.
/// </summary>
internal sealed partial class Ec2Region
{
    private static readonly Dictionary<string, string> EmptyTags = [];
    private readonly TimeProvider _time;
    private readonly Func<bool, TimeSpan> _stopDelay;
    private readonly Func<TimeSpan> _startDelay;
    private IdGenerator _ids;

    /// <param name="name">The region.</param>
    /// <param name="ids">IDs and addresses for everything created from now on.</param>
    /// <param name="defaults">IDs for the default VPC (its own sequence, so that it never shifts the others).</param>
    /// <param name="time">The clock of instance transitions.</param>
    /// <param name="stopDelay">How long a stop (forced or not) or a termination takes.</param>
    /// <param name="startDelay">How long a start takes.</param>
    public Ec2Region(string name, IdGenerator ids, IdGenerator defaults, TimeProvider time, Func<bool, TimeSpan> stopDelay, Func<TimeSpan> startDelay)
    {
        Name = name;
        _time = time;
        _stopDelay = stopDelay;
        _startDelay = startDelay;
        foreach (var (zone, zoneId) in Regions.AwsRegions.ZonesOf(name))
        {
            Zones.Add(new ZoneModel { Name = zone, ZoneId = zoneId });
        }

        _ids = defaults;
        CreateDefaultVpc();
        _ids = ids;
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

    public Dictionary<string, InternetGatewayModel> InternetGateways { get; } = [];

    public Dictionary<string, KeyPairModel> KeyPairs { get; } = [];

    public Dictionary<string, VolumeModel> Volumes { get; } = [];

    /// <summary>Tags by resource ID.</summary>
    public Dictionary<string, Dictionary<string, string>> Tags { get; } = [];

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>The default VPC, or null once it has been deleted.</summary>
    public VpcModel? DefaultVpc => Vpcs.Values.FirstOrDefault(v => v.IsDefault);

    public IReadOnlyDictionary<string, string> TagsOf(string resourceId) => Tags.TryGetValue(resourceId, out var t) ? t : EmptyTags;

    public VpcModel Vpc(string id) => Vpcs.TryGetValue(id, out var v) ? v : throw new AwsErrorException("InvalidVpcID.NotFound", $"The vpc ID '{id}' does not exist");

    public SubnetModel Subnet(string id) => Subnets.TryGetValue(id, out var s) ? s : throw new AwsErrorException("InvalidSubnetID.NotFound", $"The subnet ID '{id}' does not exist");

    public EniModel Eni(string id) => Enis.TryGetValue(id, out var e) ? e : throw new AwsErrorException("InvalidNetworkInterfaceID.NotFound", $"The networkInterface ID '{id}' does not exist");

    public RouteTableModel RouteTable(string id) => RouteTables.TryGetValue(id, out var r) ? r : throw new AwsErrorException("InvalidRouteTableID.NotFound", $"The routeTable ID '{id}' does not exist");

    public AddressModel Address(string allocationId) => Addresses.TryGetValue(allocationId, out var a) ? a : throw new AwsErrorException("InvalidAllocationID.NotFound", $"The allocation ID '{allocationId}' does not exist");

    public InternetGatewayModel InternetGateway(string id) =>
        InternetGateways.TryGetValue(id, out var g) ? g : throw new AwsErrorException("InvalidInternetGatewayID.NotFound", $"The internetGateway ID '{id}' does not exist");

    public VolumeModel Volume(string id) => Volumes.TryGetValue(id, out var v) ? v : throw new AwsErrorException("InvalidVolume.NotFound", $"The volume '{id}' does not exist.");

    public SecurityGroupModel SecurityGroup(string id) =>
        SecurityGroups.TryGetValue(id, out var g) ? g : throw new AwsErrorException("InvalidGroup.NotFound", $"The security group '{id}' does not exist");

    public InstanceModel Instance(string id)
    {
        Refresh();
        return Instances.TryGetValue(id, out var i) ? i : throw new AwsErrorException("InvalidInstanceID.NotFound", $"The instance ID '{id}' does not exist");
    }

    public ZoneModel Zone(string name) =>
        Zones.FirstOrDefault(z => z.Name == name) ?? throw new AwsErrorException("InvalidParameterValue", $"Invalid availability zone: [{name}]");

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
            case "igw":
                InternetGateway(id);
                return "internet-gateway";
            case "vol":
                Volume(id);
                return "volume";
            case "key":
                return KeyPairs.Values.Any(k => k.Id == id) ? "key-pair" : throw new AwsErrorException("InvalidKeyPair.NotFound", $"The key pair '{id}' does not exist");
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

    /// <summary>CreateDefaultVpc: a new default VPC after the old one was deleted.</summary>
    public void RecreateDefaultVpc() => CreateDefaultVpc();

    /// <summary>The private DNS name EC2 gives an address: <c>ip-10-0-0-1.ec2.internal</c> in us-east-1, <c>ip-10-0-0-1.&lt;region&gt;.compute.internal</c> elsewhere.</summary>
    public string PrivateDnsName(string ip) => $"ip-{ip.Replace('.', '-')}.{(Name == "us-east-1" ? "ec2.internal" : $"{Name}.compute.internal")}";

    /// <summary>The public DNS name of a public address in a VPC with DNS host names, else empty.</summary>
    public string PublicDnsName(string vpcId, string? publicIp) =>
        publicIp is null || !Vpcs.TryGetValue(vpcId, out var vpc) || !vpc.EnableDnsHostnames
            ? string.Empty
            : $"ec2-{publicIp.Replace('.', '-')}.{(Name == "us-east-1" ? "compute-1" : $"{Name}.compute")}.amazonaws.com{(Regions.AwsRegions.Partition(Name) == "aws-cn" ? ".cn" : string.Empty)}";

    /// <summary>AWS's default VPC: 172.31.0.0/16, an attached internet gateway routed from the main table, and one /20 default subnet per zone.</summary>
    private void CreateDefaultVpc()
    {
        var vpc = CreateVpc("172.31.0.0/16");
        vpc.IsDefault = true;
        vpc.EnableDnsHostnames = true;
        var gateway = CreateInternetGateway();
        AttachInternetGateway(gateway.Id, vpc.Id);
        RouteTable(vpc.MainRouteTableId!).Routes.Add(new RouteModel { Cidr = "0.0.0.0/0", GatewayId = gateway.Id });
        for (var i = 0; i < Zones.Count; i++)
        {
            var subnet = CreateSubnet(vpc.Id, $"172.31.{i * 16}.0/20", Zones[i].Name);
            subnet.DefaultForAz = true;
            subnet.MapPublicIpOnLaunch = true;
        }
    }
}
