namespace ClusterPro.Aws.Placement;

/// <summary>How a resource's placement in AWS compares with the configuration.</summary>
public enum AwsPlacementState
{
    /// <summary>
    /// AWS gave no usable answer (a refusal, throttling, a timeout, the network); the detail says which. The default: a
    /// placement nobody read says nothing about who owns the resource.
    /// </summary>
    Unknown,

    /// <summary>Every target is one configured node's value: the resource points at that node.</summary>
    Node,

    /// <summary>Nothing is targeted: the Elastic IP is not associated, the record does not exist, no route table holds the VIP.</summary>
    None,

    /// <summary>A target is no configured node's value, or the targets point at different nodes.</summary>
    Drifted,
}
