using System.Net;
using System.Net.Sockets;

namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>Route tables, their associations and routes, and internet gateways.</summary>
internal sealed partial class Ec2Region
{
    public RouteTableModel CreateRouteTable(string vpcId)
    {
        var vpc = Vpc(vpcId);
        var table = new RouteTableModel { Id = _ids.Next("rtb"), VpcId = vpcId };
        foreach (var cidr in vpc.Cidrs.Concat(vpc.Ipv6Cidrs))
        {
            table.Routes.Add(new RouteModel { Cidr = cidr.Cidr, GatewayId = "local", Origin = "CreateRouteTable" });
        }

        RouteTables[table.Id] = table;
        return table;
    }

    /// <summary>Associates a subnet with a table; a subnet already explicitly associated is <c>Resource.AlreadyAssociated</c>, as on EC2.</summary>
    public string AssociateRouteTable(string routeTableId, string subnetId)
    {
        var table = RouteTable(routeTableId);
        var subnet = Subnet(subnetId);
        if (subnet.VpcId != table.VpcId)
        {
            throw new AwsErrorException("InvalidParameterValue", $"Route table {routeTableId} and subnet {subnetId} belong to different networks.");
        }

        if (RouteTables.Values.Any(t => t.Associations.Any(a => a.SubnetId == subnetId)))
        {
            throw new AwsErrorException("Resource.AlreadyAssociated", $"the specified association for route table {routeTableId} conflicts with an existing association");
        }

        var association = new RouteTableAssociationModel { Id = _ids.Next("rtbassoc"), SubnetId = subnetId };
        table.Associations.Add(association);
        return association.Id;
    }

    /// <summary>Moves an association (a subnet's, or the VPC's main one) to another table of the VPC; the association gets a new ID.</summary>
    public string ReplaceRouteTableAssociation(string associationId, string routeTableId)
    {
        var (current, association) = Association(associationId);
        var target = RouteTable(routeTableId);
        if (target.VpcId != current.VpcId)
        {
            throw new AwsErrorException("InvalidParameterValue", $"Route table {routeTableId} and association {associationId} belong to different networks.");
        }

        current.Associations.Remove(association);
        var replacement = new RouteTableAssociationModel { Id = _ids.Next("rtbassoc"), SubnetId = association.SubnetId, Main = association.Main };
        target.Associations.Add(replacement);
        if (association.Main)
        {
            Vpc(target.VpcId).MainRouteTableId = target.Id;
        }

        return replacement.Id;
    }

    public void DisassociateRouteTable(string associationId)
    {
        var (table, association) = Association(associationId);
        if (association.Main)
        {
            throw new AwsErrorException("InvalidParameterValue", $"cannot disassociate the main route table association {associationId}");
        }

        table.Associations.Remove(association);
    }

    public void DeleteRouteTable(string routeTableId)
    {
        var table = RouteTable(routeTableId);
        if (table.Associations.Count > 0)
        {
            throw new AwsErrorException("DependencyViolation", $"The routeTable '{routeTableId}' has dependencies and cannot be deleted.");
        }

        RouteTables.Remove(routeTableId);
        Tags.Remove(routeTableId);
    }

    public void CreateRoute(string routeTableId, string cidr, string? eniId, string? instanceId, string? gatewayId)
    {
        var table = RouteTable(routeTableId);
        var destination = Destination(cidr);
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

    public string RouteState(RouteModel route)
    {
        if (route.GatewayId is { } gateway)
        {
            return !gateway.StartsWith("igw-", StringComparison.Ordinal) || (InternetGateways.TryGetValue(gateway, out var igw) && igw.VpcId is not null
                && RouteTables.Values.Any(t => t.VpcId == igw.VpcId && t.Routes.Contains(route))) ? "active" : "blackhole";
        }

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

    public InternetGatewayModel CreateInternetGateway()
    {
        var gateway = new InternetGatewayModel { Id = _ids.Next("igw") };
        InternetGateways[gateway.Id] = gateway;
        return gateway;
    }

    public void AttachInternetGateway(string gatewayId, string vpcId)
    {
        var gateway = InternetGateway(gatewayId);
        Vpc(vpcId);
        if (gateway.VpcId is not null)
        {
            throw new AwsErrorException("Resource.AlreadyAssociated", $"resource {gatewayId} is already attached to network {gateway.VpcId}");
        }

        if (InternetGateways.Values.Any(g => g.VpcId == vpcId))
        {
            throw new AwsErrorException("Resource.AlreadyAssociated", $"Network {vpcId} already has an internet gateway attached");
        }

        gateway.VpcId = vpcId;
    }

    /// <summary>Detaches a gateway; refused while the VPC has public addresses mapped (Elastic IPs or launch-time public IPs), as on EC2.</summary>
    public void DetachInternetGateway(string gatewayId, string vpcId)
    {
        var gateway = InternetGateway(gatewayId);
        Vpc(vpcId);
        if (gateway.VpcId != vpcId)
        {
            throw new AwsErrorException("Gateway.NotAttached", $"resource {gatewayId} is not attached to network {vpcId}");
        }

        var mapped = Enis.Values.Where(e => e.VpcId == vpcId).Any(e => e.AutoPublicIp is not null || Addresses.Values.Any(a => a.NetworkInterfaceId == e.Id));
        if (mapped)
        {
            throw new AwsErrorException("DependencyViolation", $"Network {vpcId} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.");
        }

        gateway.VpcId = null;
    }

    public void DeleteInternetGateway(string gatewayId)
    {
        var gateway = InternetGateway(gatewayId);
        if (gateway.VpcId is not null)
        {
            throw new AwsErrorException("DependencyViolation", $"The internetGateway '{gatewayId}' has dependencies and cannot be deleted.");
        }

        InternetGateways.Remove(gatewayId);
        Tags.Remove(gatewayId);
    }

    private (RouteTableModel Table, RouteTableAssociationModel Association) Association(string associationId)
    {
        foreach (var table in RouteTables.Values)
        {
            if (table.Associations.FirstOrDefault(a => a.Id == associationId) is { } association)
            {
                return (table, association);
            }
        }

        throw new AwsErrorException("InvalidAssociationID.NotFound", $"The association ID '{associationId}' does not exist");
    }

    private void SetTarget(RouteTableModel table, RouteModel route, string? eniId, string? instanceId, string? gatewayId)
    {
        var targets = new[] { eniId, instanceId, gatewayId }.Count(t => t is not null);
        if (targets > 1)
        {
            throw new AwsErrorException("InvalidParameterCombination", "The request must contain exactly one of gatewayId, natGatewayId, networkInterfaceId, vpcPeeringConnectionId or instanceId.");
        }

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
            if (gatewayId.StartsWith("igw-", StringComparison.Ordinal))
            {
                var gateway = InternetGateways.TryGetValue(gatewayId, out var g) ? g : throw new AwsErrorException("InvalidGatewayID.NotFound", $"The gateway ID '{gatewayId}' does not exist");
                if (gateway.VpcId != table.VpcId)
                {
                    throw new AwsErrorException("InvalidParameterValue", $"route table {table.Id} and network gateway {gatewayId} belong to different networks");
                }
            }

            route.GatewayId = gatewayId;
            route.NetworkInterfaceId = null;
        }
        else
        {
            throw new AwsErrorException("MissingParameter", "The request must contain exactly one of gatewayId, natGatewayId, networkInterfaceId, vpcPeeringConnectionId or instanceId.");
        }
    }

    /// <summary>A route's destination, IPv4 or IPv6, in canonical form.</summary>
    private static string Destination(string cidr)
    {
        if (IPNetwork.TryParse(cidr, out var v6) && v6.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return v6.ToString();
        }

        return ParseCidr(cidr, "destinationCidrBlock", 0, 32).ToString();
    }

    private static RouteModel FindRoute(RouteTableModel table, string cidr)
    {
        var destination = IPNetwork.TryParse(cidr, out var n) ? n.ToString() : cidr;
        return table.Routes.FirstOrDefault(r => r.Cidr == destination)
            ?? throw new AwsErrorException("InvalidRoute.NotFound", $"no route with destination-cidr-block {cidr} in route table {table.Id}");
    }
}
