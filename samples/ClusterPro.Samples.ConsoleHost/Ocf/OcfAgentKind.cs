namespace ClusterPro.Samples.ConsoleHost.Ocf;

/// <summary>
/// An OCF resource agent backed by one ClusterPro AWS resource and its monitor: <c>awsvip</c>, <c>awseip</c>,
/// <c>awsdns</c>, which Pacemaker runs as <c>ocf:clusterpro:&lt;name&gt;</c>.
/// </summary>
/// <param name="Name">The agent's name: its file name and the ClusterPro resource type (<c>Type</c>).</param>
/// <param name="ShortDescription">One line.</param>
/// <param name="LongDescription">What start, stop and monitor do.</param>
/// <param name="Parameters">Its own parameters; <see cref="All"/> adds the common ones.</param>
internal sealed record OcfAgentKind(string Name, string ShortDescription, string LongDescription, IReadOnlyList<OcfParameter> Parameters)
{
    /// <summary>The parameters every agent has: where AWS is, and what monitor does when it gives no answer.</summary>
    public static readonly IReadOnlyList<OcfParameter> Common =
    [
        new("region", OcfValueKind.Text, string.Empty, "AWS region",
            "The AWS region, e.g. ap-northeast-1. Empty: the AWS SDK's chain (AWS_REGION, the profile, then this instance's own region from its metadata)."),
        new("endpoint", OcfValueKind.Text, string.Empty, "AWS endpoint URL",
            "An endpoint URL for every AWS call of the agent (EC2 and Route 53): a VPC interface endpoint, a proxying gateway or an emulator, e.g. http://127.0.0.1:4566. Empty: AWS_ENDPOINT_URL_EC2 / AWS_ENDPOINT_URL_ROUTE_53 / AWS_ENDPOINT_URL when set, else AWS's own endpoints."),
        new("profile", OcfValueKind.Text, string.Empty, "AWS profile",
            "A profile of the shared AWS config and credentials files of the user the agents run as (root under Pacemaker). Empty: the AWS SDK's chain (environment, the default profile, then the instance role)."),
        new("api_failure", OcfValueKind.Choice, "silent", "What monitor reports when AWS gives no answer",
            "What monitor reports when AWS gives no answer (its timeout, throttling, a 5xx, the endpoint unreachable): silent reports success and logs it (an AWS outage never moves the resource by itself: ClusterPro's default); warn reports success with a warning line; recover reports OCF_ERR_GENERIC, so Pacemaker recovers the resource. A definite answer that the resource points elsewhere is always OCF_ERR_GENERIC.",
            "MonitorApiFailureAction") { Choices = ["silent", "warn", "recover"] },
    ];

    /// <summary>The AWS Virtual IP agent.</summary>
    public static readonly OcfAgentKind Vip = new(
        "awsvip",
        "A VIP routed by the VPC's route tables to the active node (ClusterPro awsvip)",
        "Moves a virtual IP address (outside every CIDR block of the VPC) to this node: start points the VIP's /32 route in every route table holding it (or in those of route_tables) at this node's network interface, all tables at once (two AWS round trips whatever their number), and adds the VIP to the OS interface when interface is set. stop removes it from the OS interface and leaves the routes for the next node. monitor reports OCF_NOT_RUNNING unless the resource was started here (a state file in HA_RSCTMP), else OCF_SUCCESS when every route points here (and the VIP is on the interface) and OCF_ERR_GENERIC when one does not. The AWS work is ClusterPro's awsvip resource and its monitor awsvipw.",
        [
            new("ip", OcfValueKind.Text, string.Empty, "The virtual IP address",
                "The virtual IP address (IPv4, outside every CIDR block of the VPC), e.g. 10.1.0.20; its /32 route points at the node that runs the resource.", "Ip") { Required = true, Unique = true },
            new("vpc_id", OcfValueKind.Text, string.Empty, "The VPC",
                "The VPC (vpc-...) whose route tables hold the VIP's route. Empty: the VPC of this instance's primary network interface, from its instance metadata (IMDSv2).", "VpcId") { FromInstance = OcfFromInstance.Vpc },
            new("eni_id", OcfValueKind.Text, string.Empty, "This node's network interface",
                "The network interface (eni-...) the routes point at while the resource runs here. Empty: this instance's primary network interface, from its instance metadata (IMDSv2), which is what each node needs; Pacemaker gives every node the same value, so set it only on a one-node cluster or with a rule per node.", "EniId") { FromInstance = OcfFromInstance.NetworkInterface },
            new("route_tables", OcfValueKind.List, string.Empty, "The route tables holding the VIP",
                "The route tables (rtb-..., separated by commas or spaces) whose route for the VIP's /32 moves with the resource; each must hold that route. Empty: every route table of the VPC that has it, found with one DescribeRouteTables.", "RouteTableIds"),
            new("interface", OcfValueKind.Text, string.Empty, "The OS interface the VIP is added to",
                "The OS network interface (e.g. eth0) the VIP is added to on start and removed from on stop, with iproute2's ip (root or CAP_NET_ADMIN). Empty: the OS is left alone, for a VIP that something else puts on the node (an IPaddr2 resource in the same group).", "InterfaceName"),
        ]);

    /// <summary>The AWS Elastic IP agent.</summary>
    public static readonly OcfAgentKind ElasticIp = new(
        "awseip",
        "An Elastic IP associated with the active node (ClusterPro awseip)",
        "Associates an Elastic IP with this node's network interface on start (re-association allowed, so it takes the address from a node that is gone) and disassociates it on stop (only from this node: an association elsewhere is left alone). monitor reports OCF_NOT_RUNNING unless the resource was started here (a state file in HA_RSCTMP), else OCF_SUCCESS when the address is associated with this node's interface and OCF_ERR_GENERIC when it is not. The AWS work is ClusterPro's awseip resource and its monitor awseipw.",
        [
            new("allocation_id", OcfValueKind.Text, string.Empty, "The Elastic IP's allocation ID",
                "The Elastic IP's allocation ID (eipalloc-...).", "AllocationId") { Required = true, Unique = true },
            new("eni_id", OcfValueKind.Text, string.Empty, "This node's network interface",
                "The network interface (eni-...) the address is associated with while the resource runs here. Empty: this instance's primary network interface, from its instance metadata (IMDSv2), which is what each node needs; Pacemaker gives every node the same value, so set it only on a one-node cluster or with a rule per node.", "EniId") { FromInstance = OcfFromInstance.NetworkInterface },
        ]);

    /// <summary>The AWS DNS (Route 53) agent.</summary>
    public static readonly OcfAgentKind Dns = new(
        "awsdns",
        "A Route 53 A record naming the active node (ClusterPro awsdns)",
        "Upserts the A record name -> address in a Route 53 hosted zone on start and deletes it on stop (only while it holds this node's address; delete_on_stop=false keeps it for a faster next resolution). monitor reports OCF_NOT_RUNNING unless the resource was started here (a state file in HA_RSCTMP), else OCF_SUCCESS when the record holds this node's address (and, with check_resolution, the name resolves to it) and OCF_ERR_GENERIC when it does not. The AWS work is ClusterPro's awsdns resource and its monitor awsdnsw.",
        [
            new("hosted_zone_id", OcfValueKind.Text, string.Empty, "The Route 53 hosted zone",
                "The hosted zone ID (Z... or /hostedzone/Z...).", "HostedZoneId") { Required = true },
            new("record", OcfValueKind.Text, string.Empty, "The record's name",
                "The A record's name, e.g. srv.example.com (any case, with or without the trailing dot).", "RecordName") { Required = true, Unique = true },
            new("address", OcfValueKind.Text, string.Empty, "The address the record holds",
                "The IPv4 address the record holds while the resource runs here. Empty: this instance's primary private IP, from its instance metadata (IMDSv2), so each node publishes its own.", "Ip") { FromInstance = OcfFromInstance.PrivateIp },
            new("ttl", OcfValueKind.Integer, "300", "The record's TTL (seconds)",
                "The record's TTL in seconds (0 to 2147483647).", "Ttl"),
            new("delete_on_stop", OcfValueKind.Boolean, "true", "Delete the record on stop",
                "Delete the record on stop (only while it holds this node's address). false keeps it: the next start only updates the address, and resolvers that cached it need no new lookup of a missing name.", "DeleteOnDeactivate"),
            new("check_resolution", OcfValueKind.Boolean, "false", "monitor also resolves the name",
                "monitor also resolves the name and checks that the answer holds this node's address (ClusterPro's codes 54 and 55). Off by default: Route 53 takes up to 60 s to reach its name servers, so a monitor soon after start would see the previous answer; with it on, give the monitor operation a start-delay.", "CheckNameResolution"),
            new("name_servers", OcfValueKind.List, string.Empty, "Name servers for check_resolution",
                "The name servers check_resolution asks (address or address:port, separated by commas or spaces). Empty: the system's.", "NameServers"),
        ]);

    /// <summary>The three agents.</summary>
    public static readonly IReadOnlyList<OcfAgentKind> AllAgents = [Vip, ElasticIp, Dns];

    /// <summary>Its parameters, then the common ones.</summary>
    public IReadOnlyList<OcfParameter> All => [.. Parameters, .. Common];

    /// <summary>The ClusterPro monitor added with the resource (<c>awsvip</c> → <c>awsvipw</c>).</summary>
    public string MonitorName => Name + "w";

    /// <summary>The agent of that name, or null.</summary>
    public static OcfAgentKind? Find(string? name) => AllAgents.FirstOrDefault(a => a.Name == name);
}
