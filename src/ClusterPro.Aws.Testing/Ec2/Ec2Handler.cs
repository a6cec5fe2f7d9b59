using System.Globalization;
using System.Xml.Linq;

namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>
/// The EC2 Query API: parses an action's parameters, applies it to the region, answers in AWS's XML shapes. The
/// actions live in partial files by concern (VPCs and subnets, interfaces, routing, addresses, instances, storage,
/// regions, tags and security groups).
/// </summary>
internal static partial class Ec2Handler
{
    public const string OwnerId = "123456789012";

    /// <summary>The caller's unique ID (STS GetCallerIdentity's <c>UserId</c>), which EC2 shows as a requester.</summary>
    public const string CallerUserId = "AIDAEMULATOR00000001";

    public static readonly XNamespace Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private static readonly Dictionary<string, Func<QueryParams, Ec2Region, IEnumerable<object?>>> Actions = new(StringComparer.Ordinal)
    {
        ["DescribeRegions"] = DescribeRegions,
        ["DescribeAvailabilityZones"] = DescribeAvailabilityZones,
        ["CreateVpc"] = CreateVpc,
        ["CreateDefaultVpc"] = CreateDefaultVpc,
        ["DescribeVpcs"] = DescribeVpcs,
        ["DeleteVpc"] = DeleteVpc,
        ["AssociateVpcCidrBlock"] = AssociateVpcCidrBlock,
        ["DisassociateVpcCidrBlock"] = DisassociateVpcCidrBlock,
        ["DescribeVpcAttribute"] = DescribeVpcAttribute,
        ["ModifyVpcAttribute"] = ModifyVpcAttribute,
        ["CreateSubnet"] = CreateSubnet,
        ["DescribeSubnets"] = DescribeSubnets,
        ["DeleteSubnet"] = DeleteSubnet,
        ["ModifySubnetAttribute"] = ModifySubnetAttribute,
        ["AssociateSubnetCidrBlock"] = AssociateSubnetCidrBlock,
        ["DisassociateSubnetCidrBlock"] = DisassociateSubnetCidrBlock,
        ["CreateNetworkInterface"] = CreateNetworkInterface,
        ["DescribeNetworkInterfaces"] = DescribeNetworkInterfaces,
        ["DeleteNetworkInterface"] = DeleteNetworkInterface,
        ["ModifyNetworkInterfaceAttribute"] = ModifyNetworkInterfaceAttribute,
        ["AssignPrivateIpAddresses"] = AssignPrivateIpAddresses,
        ["UnassignPrivateIpAddresses"] = UnassignPrivateIpAddresses,
        ["AssignIpv6Addresses"] = AssignIpv6Addresses,
        ["UnassignIpv6Addresses"] = UnassignIpv6Addresses,
        ["CreateRouteTable"] = CreateRouteTable,
        ["DescribeRouteTables"] = DescribeRouteTables,
        ["DeleteRouteTable"] = DeleteRouteTable,
        ["AssociateRouteTable"] = AssociateRouteTable,
        ["ReplaceRouteTableAssociation"] = ReplaceRouteTableAssociation,
        ["DisassociateRouteTable"] = DisassociateRouteTable,
        ["CreateRoute"] = CreateRoute,
        ["ReplaceRoute"] = ReplaceRoute,
        ["DeleteRoute"] = DeleteRoute,
        ["CreateInternetGateway"] = CreateInternetGateway,
        ["DescribeInternetGateways"] = DescribeInternetGateways,
        ["AttachInternetGateway"] = AttachInternetGateway,
        ["DetachInternetGateway"] = DetachInternetGateway,
        ["DeleteInternetGateway"] = DeleteInternetGateway,
        ["AllocateAddress"] = AllocateAddress,
        ["DescribeAddresses"] = DescribeAddresses,
        ["AssociateAddress"] = AssociateAddress,
        ["DisassociateAddress"] = DisassociateAddress,
        ["ReleaseAddress"] = ReleaseAddress,
        ["RunInstances"] = RunInstances,
        ["DescribeInstances"] = DescribeInstances,
        ["DescribeInstanceStatus"] = DescribeInstanceStatus,
        ["StopInstances"] = (p, r) => [E("instancesSet", r.StopInstances(p.List("InstanceId"), p.Bool("Force")).Select(c => StateChange(c.Instance, c.Previous)))],
        ["StartInstances"] = (p, r) => [E("instancesSet", r.StartInstances(p.List("InstanceId")).Select(c => StateChange(c.Instance, c.Previous)))],
        ["TerminateInstances"] = (p, r) => [E("instancesSet", r.TerminateInstances(p.List("InstanceId")).Select(c => StateChange(c.Instance, c.Previous)))],
        ["CreateKeyPair"] = CreateKeyPair,
        ["ImportKeyPair"] = ImportKeyPair,
        ["DescribeKeyPairs"] = DescribeKeyPairs,
        ["DeleteKeyPair"] = DeleteKeyPair,
        ["CreateVolume"] = CreateVolume,
        ["DescribeVolumes"] = DescribeVolumes,
        ["AttachVolume"] = AttachVolume,
        ["DetachVolume"] = DetachVolume,
        ["DeleteVolume"] = DeleteVolume,
        ["CreateTags"] = CreateTags,
        ["DeleteTags"] = DeleteTags,
        ["DescribeTags"] = DescribeTags,
        ["CreateSecurityGroup"] = CreateSecurityGroup,
        ["DescribeSecurityGroups"] = DescribeSecurityGroups,
        ["DeleteSecurityGroup"] = DeleteSecurityGroup,
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

    /// <summary>An EC2 timestamp (<c>2024-05-01T12:00:00.000Z</c>).</summary>
    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Flag(bool value) => value ? "true" : "false";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static XElement True() => E("return", "true");

    private static XElement? Next(string? token) => token is null ? null : E("nextToken", token);

    private static XElement Item(params object?[] content) => E("item", content);

    private static XElement? Opt(string name, string? value) => value is null ? null : E(name, value);

    private static XElement E(string name, params object?[] content) => new(Ns + name, content);

    /// <summary>A parameter whose value EC2 takes from a fixed set.</summary>
    private static string? OneOf(QueryParams p, string name, params string[] allowed)
    {
        var value = p.Get(name);
        return value is null || allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new AwsErrorException("InvalidParameterValue", $"Value ({value}) for parameter {QueryParams.Camel(name)} is invalid. Valid values: {string.Join(", ", allowed)}.");
    }

    /// <summary>Refuses a parameter the emulator does not model, rather than ignoring it.</summary>
    private static void NotModelled(QueryParams p, params string[] names)
    {
        foreach (var name in names)
        {
            if (p.HasPrefix(name))
            {
                throw new AwsErrorException("UnsupportedOperation", $"The parameter {name} is not supported by this emulator (see the ClusterPro.Aws.Testing README's fidelity table).");
            }
        }
    }
}
