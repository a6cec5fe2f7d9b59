namespace ClusterPro.Samples.ConsoleHost.Ocf;

/// <summary>How an agent's parameter is read.</summary>
internal enum OcfValueKind
{
    /// <summary>Text, passed on as it is.</summary>
    Text,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>An OCF boolean: true / false (also yes / no, on / off, 1 / 0).</summary>
    Boolean,

    /// <summary>A list separated by commas or spaces.</summary>
    List,

    /// <summary>One of <see cref="OcfParameter.Choices"/>.</summary>
    Choice,
}

/// <summary>What an empty parameter is taken from on this instance (IMDSv2).</summary>
internal enum OcfFromInstance
{
    /// <summary>Nothing: empty stays empty (the default, or the SDK's chain).</summary>
    None,

    /// <summary>The instance's primary network interface (<c>eni-…</c>).</summary>
    NetworkInterface,

    /// <summary>The VPC of the instance's primary network interface (<c>vpc-…</c>).</summary>
    Vpc,

    /// <summary>The instance's primary private IPv4 address.</summary>
    PrivateIp,
}

/// <summary>
/// One instance parameter of an agent (<c>OCF_RESKEY_&lt;name&gt;</c>): what meta-data says of it, and the ClusterPro
/// setting it becomes (<see cref="Setting"/>, a key of the resource's configuration section).
/// </summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Kind">How it is read.</param>
/// <param name="Default">Its default, as meta-data shows it (empty: see the description).</param>
/// <param name="ShortDescription">One line.</param>
/// <param name="LongDescription">What it is, what empty means, and its effect.</param>
/// <param name="Setting">The resource setting it becomes, or null for a parameter the agent applies itself.</param>
internal sealed record OcfParameter(string Name, OcfValueKind Kind, string Default, string ShortDescription, string LongDescription, string? Setting = null)
{
    /// <summary>Every instance of the resource type needs it.</summary>
    public bool Required { get; init; }

    /// <summary>No two resources of the type should have the same value (the deprecated OCF hint, kept for the tools that read it).</summary>
    public bool Unique { get; init; }

    /// <summary>Its values when <see cref="Kind"/> is <see cref="OcfValueKind.Choice"/>.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>Where an empty value comes from on an EC2 instance.</summary>
    public OcfFromInstance FromInstance { get; init; }

    /// <summary>The OCF type meta-data names: string, integer or boolean.</summary>
    public string OcfType => Kind switch { OcfValueKind.Integer => "integer", OcfValueKind.Boolean => "boolean", _ => "string" };
}
