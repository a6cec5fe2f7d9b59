namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>A route: destination and target (a gateway or a network interface).</summary>
internal sealed class RouteModel
{
    public required string Cidr { get; init; }

    public string? GatewayId { get; set; }

    public string? NetworkInterfaceId { get; set; }

    public string Origin { get; init; } = "CreateRoute";
}
