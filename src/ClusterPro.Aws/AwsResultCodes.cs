namespace ClusterPro.Aws;

/// <summary>
/// The operator runbook's result codes and messages for the AWS resources and monitors (SPEC section 10;
/// "AWS CLI" in the source reads "AWS API" here). A monitor's warning code is its error code plus 100.
/// </summary>
public static class AwsResultCodes
{
    /// <summary>awsvip: the activation did not finish within the AWS call timeout.</summary>
    public const int VipTimeout = 1;

    /// <summary>AWS API call failed (all resources): the AWS message, or <see cref="ApiFailedMessage"/>.</summary>
    public const int ApiFailed = 50;

    /// <summary>Reserved: "The AWS CLI command is not found." never occurs (the library calls AWS in-process).</summary>
    public const int CliNotFound = 51;

    /// <summary>awsvip: the VIP lies inside a CIDR block of the VPC.</summary>
    public const int VipInVpcCidr = 53;

    /// <summary>awseip: the activation timed out.</summary>
    public const int EipTimeout = 53;

    /// <summary>
    /// awssip: a call did not finish within the AWS call timeout ("Command was not completed within {n} seconds.", as
    /// the Virtual IP resource; the secondary IP resource has no code of its own in the source).
    /// </summary>
    public const int SecondaryIpTimeout = 1;

    /// <summary>awsvipw / awseipw / awssipw: the AWS API gave no answer in time (warning 151).</summary>
    public const int MonitorTimeout = 51;

    /// <summary>awseipw: the EIP is not associated with this node's ENI.</summary>
    public const int EipNotAssociated = 52;

    /// <summary>awssipw: the secondary IP is not assigned to this node's ENI or missing from the OS.</summary>
    public const int SecondaryIpNotAssigned = 52;

    /// <summary>awsvipw: a route for the VIP points elsewhere (or the VIP is missing from the OS interface).</summary>
    public const int VipRoutingChanged = 56;

    /// <summary>awsdns / awsdnsw: timeout (monitor warning 151).</summary>
    public const int DnsTimeout = 51;

    /// <summary>awsdnsw: the record set does not exist.</summary>
    public const int DnsRecordMissing = 52;

    /// <summary>awsdnsw: the record set holds another IP.</summary>
    public const int DnsRecordWrongIp = 53;

    /// <summary>awsdnsw: the name does not resolve.</summary>
    public const int DnsResolveFailed = 54;

    /// <summary>awsdnsw: the name resolves to another IP.</summary>
    public const int DnsResolvedWrongIp = 55;

    /// <summary>awsazw: AWS API failure or invalid / not-available zone (warning 105).</summary>
    public const int AzFailed = 5;

    /// <summary>awsazw: timeout (warning 106).</summary>
    public const int AzTimeout = 6;

    /// <summary>The generic failure message.</summary>
    public const string ApiFailedMessage = "Failed in the AWS API call.";

    /// <summary>The generic timeout message of awseip / awsdns / monitors.</summary>
    public const string TimeoutOccurred = "Timeout occurred.";

    /// <summary>The message of <see cref="VipTimeout"/>.</summary>
    /// <param name="seconds">The timeout in seconds.</param>
    /// <returns>The message.</returns>
    public static string CommandNotCompleted(double seconds) => $"Command was not completed within {seconds:0} seconds.";

    /// <summary>The message of <see cref="VipInVpcCidr"/>.</summary>
    /// <param name="vip">The VIP.</param>
    /// <returns>The message.</returns>
    public static string VipBelongsToSubnet(string vip) => $"The VIP address {vip} belongs to a VPC subnet.";

    /// <summary>The message of <see cref="VipRoutingChanged"/>.</summary>
    /// <param name="vip">The VIP.</param>
    /// <returns>The message.</returns>
    public static string RoutingChanged(string vip) => $"The routing for VIP {vip} was changed.";

    /// <summary>The message of <see cref="EipNotAssociated"/>.</summary>
    /// <param name="allocationId">The allocation ID.</param>
    /// <returns>The message.</returns>
    public static string EipDoesNotExist(string allocationId) => $"The EIP address does not exist. (EIP ALLOCATION ID={allocationId})";

    /// <summary>The message for an unknown availability zone.</summary>
    /// <param name="zone">The zone.</param>
    /// <returns>The message.</returns>
    public static string InvalidAvailabilityZone(string zone) => $"Invalid availability zone: [{zone}]";
}
