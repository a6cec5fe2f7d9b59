using System.Net;
using System.Net.Sockets;

namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>Route tables, associations, routes and internet gateways.</summary>
internal static partial class Ec2Handler
{
    private static IEnumerable<object?> CreateRouteTable(QueryParams p, Ec2Region r)
    {
        var table = r.CreateRouteTable(p.Required("VpcId"));
        ApplyTagSpecifications(p, "CreateRouteTable", r, ("route-table", table.Id));
        return [E("routeTable", RouteTable(r, table))];
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
            "route.destination-cidr-block" => t.Routes.Where(x => !IsIpv6(x.Cidr)).Select(x => x.Cidr),
            "route.destination-ipv6-cidr-block" => t.Routes.Where(x => IsIpv6(x.Cidr)).Select(x => x.Cidr),
            "route.network-interface-id" => t.Routes.Select(x => x.NetworkInterfaceId),
            "route.instance-id" => t.Routes.Select(x => InstanceOf(r, x.NetworkInterfaceId)),
            "route.gateway-id" => t.Routes.Select(x => x.GatewayId),
            "route.origin" => t.Routes.Select(x => x.Origin),
            "route.state" => t.Routes.Select(r.RouteState),
            "association.subnet-id" => t.Associations.Select(a => a.SubnetId),
            "association.route-table-association-id" => t.Associations.Select(a => a.Id),
            "association.route-table-id" => t.Associations.Select(_ => t.Id),
            "association.main" => t.Associations.Select(a => Flag(a.Main)),
            "association.association-state" => t.Associations.Select(_ => "associated"),
            "owner-id" => [OwnerId],
            _ => null,
        }, t => r.TagsOf(t.Id)).ToList();
        var (page, next) = Query.Paginate(filtered, p, 5, 100, ids.Count > 0);
        return [E("routeTableSet", page.Select(t => Item(RouteTable(r, t)))), Next(next)];
    }

    private static IEnumerable<object?> DeleteRouteTable(QueryParams p, Ec2Region r)
    {
        r.DeleteRouteTable(p.Required("RouteTableId"));
        return [True()];
    }

    private static IEnumerable<object?> AssociateRouteTable(QueryParams p, Ec2Region r)
    {
        NotModelled(p, "GatewayId");
        var id = r.AssociateRouteTable(p.Required("RouteTableId"), p.Required("SubnetId"));
        return [E("associationId", id), E("associationState", E("state", "associated"))];
    }

    private static IEnumerable<object?> ReplaceRouteTableAssociation(QueryParams p, Ec2Region r)
    {
        var id = r.ReplaceRouteTableAssociation(p.Required("AssociationId"), p.Required("RouteTableId"));
        return [E("newAssociationId", id), E("associationState", E("state", "associated"))];
    }

    private static IEnumerable<object?> DisassociateRouteTable(QueryParams p, Ec2Region r)
    {
        r.DisassociateRouteTable(p.Required("AssociationId"));
        return [True()];
    }

    private static IEnumerable<object?> CreateRoute(QueryParams p, Ec2Region r)
    {
        NotModelledTargets(p);
        r.CreateRoute(p.Required("RouteTableId"), RouteDestination(p), p.Get("NetworkInterfaceId"), p.Get("InstanceId"), p.Get("GatewayId"));
        return [True()];
    }

    private static IEnumerable<object?> ReplaceRoute(QueryParams p, Ec2Region r)
    {
        NotModelledTargets(p);
        r.ReplaceRoute(p.Required("RouteTableId"), RouteDestination(p), p.Get("NetworkInterfaceId"), p.Get("InstanceId"), p.Get("GatewayId"));
        return [True()];
    }

    private static IEnumerable<object?> DeleteRoute(QueryParams p, Ec2Region r)
    {
        NotModelled(p, "DestinationPrefixListId");
        r.DeleteRoute(p.Required("RouteTableId"), RouteDestination(p));
        return [True()];
    }

    private static IEnumerable<object?> CreateInternetGateway(QueryParams p, Ec2Region r)
    {
        var gateway = r.CreateInternetGateway();
        ApplyTagSpecifications(p, "CreateInternetGateway", r, ("internet-gateway", gateway.Id));
        return [E("internetGateway", InternetGateway(r, gateway))];
    }

    private static IEnumerable<object?> DescribeInternetGateways(QueryParams p, Ec2Region r)
    {
        var ids = p.List("InternetGatewayId");
        var gateways = ids.Count > 0 ? ids.Select(r.InternetGateway) : r.InternetGateways.Values;
        var filtered = Query.Filter(gateways, p, (g, name) => name switch
        {
            "internet-gateway-id" => [g.Id],
            "attachment.vpc-id" => [g.VpcId],
            "attachment.state" => [g.VpcId is null ? null : "available"],
            "owner-id" => [OwnerId],
            _ => null,
        }, g => r.TagsOf(g.Id)).ToList();
        var (page, next) = Query.Paginate(filtered, p, namedIds: ids.Count > 0);
        return [E("internetGatewaySet", page.Select(g => Item(InternetGateway(r, g)))), Next(next)];
    }

    private static IEnumerable<object?> AttachInternetGateway(QueryParams p, Ec2Region r)
    {
        r.AttachInternetGateway(p.Required("InternetGatewayId"), p.Required("VpcId"));
        return [True()];
    }

    private static IEnumerable<object?> DetachInternetGateway(QueryParams p, Ec2Region r)
    {
        r.DetachInternetGateway(p.Required("InternetGatewayId"), p.Required("VpcId"));
        return [True()];
    }

    private static IEnumerable<object?> DeleteInternetGateway(QueryParams p, Ec2Region r)
    {
        r.DeleteInternetGateway(p.Required("InternetGatewayId"));
        return [True()];
    }

    private static string RouteDestination(QueryParams p)
    {
        NotModelled(p, "DestinationPrefixListId");
        var v4 = p.Get("DestinationCidrBlock");
        var v6 = p.Get("DestinationIpv6CidrBlock");
        if ((v4 is null) == (v6 is null))
        {
            throw new AwsErrorException(v4 is null ? "MissingParameter" : "InvalidParameterCombination", "The request must contain exactly one of destinationCidrBlock, destinationIpv6CidrBlock or destinationPrefixListId.");
        }

        if (v6 is not null && !(IPNetwork.TryParse(v6, out var network) && network.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6))
        {
            throw new AwsErrorException("InvalidParameterValue", $"Value ({v6}) for parameter destinationIpv6CidrBlock is invalid. This is not a valid IPv6 CIDR block.");
        }

        return v4 ?? v6!;
    }

    private static void NotModelledTargets(QueryParams p) =>
        NotModelled(p, "NatGatewayId", "TransitGatewayId", "VpcPeeringConnectionId", "EgressOnlyInternetGatewayId", "LocalGatewayId", "CarrierGatewayId", "CoreNetworkArn", "VpcEndpointId");

    private static bool IsIpv6(string cidr) => cidr.Contains(':', StringComparison.Ordinal);

    private static IEnumerable<object?> RouteTable(Ec2Region r, RouteTableModel t) =>
    [
        E("routeTableId", t.Id),
        E("vpcId", t.VpcId),
        E("ownerId", OwnerId),
        E("routeSet", t.Routes.Select(route => Item(
            IsIpv6(route.Cidr) ? E("destinationIpv6CidrBlock", route.Cidr) : E("destinationCidrBlock", route.Cidr),
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
            E("main", Flag(a.Main)),
            E("associationState", E("state", "associated"))))),
        E("propagatingVgwSet"),
        TagSet(r, t.Id),
    ];

    private static IEnumerable<object?> InternetGateway(Ec2Region r, InternetGatewayModel g) =>
    [
        E("internetGatewayId", g.Id),
        E("ownerId", OwnerId),
        E("attachmentSet", g.VpcId is null ? null : Item(E("vpcId", g.VpcId), E("state", "available"))),
        TagSet(r, g.Id),
    ];

    private static string? InstanceOf(Ec2Region r, string? eniId) =>
        eniId is not null && r.Enis.TryGetValue(eniId, out var eni) ? eni.InstanceId : null;
}
