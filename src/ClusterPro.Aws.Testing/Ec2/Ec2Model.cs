namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>An AWS error the emulator answers with: code, message and HTTP status, exactly as AWS names them.</summary>
internal sealed class AwsErrorException(string code, string message, int status = 400) : Exception(message)
{
    public string Code { get; } = code;

    public int Status { get; } = status;
}

internal sealed class ZoneModel
{
    public required string Name { get; init; }

    public required string ZoneId { get; init; }

    public string State { get; set; } = "available";
}

internal sealed class VpcCidr
{
    public required string AssociationId { get; init; }

    public required string Cidr { get; init; }

    public string State { get; set; } = "associated";
}

internal sealed class VpcModel
{
    public required string Id { get; init; }

    public List<VpcCidr> Cidrs { get; } = [];

    public string? MainRouteTableId { get; set; }

    public string? DefaultSecurityGroupId { get; set; }
}

internal sealed class SubnetModel
{
    public required string Id { get; init; }

    public required string VpcId { get; init; }

    public required string Cidr { get; init; }

    public required ZoneModel Zone { get; init; }

    public int NextHost { get; set; } = 10;
}

internal sealed class EniModel
{
    public required string Id { get; init; }

    public required string SubnetId { get; init; }

    public required string VpcId { get; init; }

    public required string Zone { get; init; }

    public required string Mac { get; init; }

    public required string PrimaryIp { get; init; }

    public List<string> SecondaryIps { get; } = [];

    public List<string> Groups { get; init; } = [];

    public bool SourceDestCheck { get; set; } = true;

    public string Description { get; set; } = string.Empty;

    public string? InstanceId { get; set; }

    public string? AttachmentId { get; set; }

    public int DeviceIndex { get; set; }
}

internal sealed class RouteModel
{
    public required string Cidr { get; init; }

    public string? GatewayId { get; set; }

    public string? NetworkInterfaceId { get; set; }

    public string Origin { get; init; } = "CreateRoute";
}

internal sealed class RouteTableAssociationModel
{
    public required string Id { get; init; }

    public string? SubnetId { get; init; }

    public bool Main { get; init; }
}

internal sealed class RouteTableModel
{
    public required string Id { get; init; }

    public required string VpcId { get; init; }

    public List<RouteModel> Routes { get; } = [];

    public List<RouteTableAssociationModel> Associations { get; } = [];
}

internal sealed class AddressModel
{
    public required string AllocationId { get; init; }

    public required string PublicIp { get; init; }

    public string? AssociationId { get; set; }

    public string? NetworkInterfaceId { get; set; }

    public string? PrivateIp { get; set; }
}

internal sealed class InstanceModel
{
    public required string Id { get; init; }

    public required string SubnetId { get; init; }

    public required string VpcId { get; init; }

    public required string Zone { get; init; }

    public required string PrimaryEniId { get; init; }

    public string ImageId { get; init; } = "ami-00000000000000000";

    public string InstanceType { get; init; } = "t3.micro";

    public string State { get; set; } = "running";

    /// <summary>A transition in progress (pending → running, stopping → stopped) and when it completes.</summary>
    public (string Target, DateTimeOffset Due)? Transition { get; set; }

    public static int Code(string state) => state switch
    {
        "pending" => 0,
        "running" => 16,
        "shutting-down" => 32,
        "terminated" => 48,
        "stopping" => 64,
        _ => 80,
    };
}
