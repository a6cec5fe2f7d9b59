namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>An instance: placement, primary interface, state and the transition in progress.</summary>
internal sealed class InstanceModel
{
    public required string Id { get; init; }

    public required string ReservationId { get; init; }

    public required string SubnetId { get; init; }

    public required string VpcId { get; init; }

    public required string Zone { get; init; }

    public required string PrimaryEniId { get; init; }

    public required DateTimeOffset LaunchTime { get; init; }

    public int LaunchIndex { get; init; }

    public string ImageId { get; init; } = "ami-00000000000000000";

    public string InstanceType { get; init; } = "t3.micro";

    public string? KeyName { get; init; }

    public bool DisableApiTermination { get; set; }

    public bool DisableApiStop { get; set; }

    public string State { get; set; } = "running";

    /// <summary>A transition in progress (pending → running, stopping → stopped, shutting-down → terminated) and when it completes.</summary>
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
