using Microsoft.Extensions.Logging;

namespace ClusterPro.Aws.Internal;

/// <summary>Log messages of ClusterPro.Aws with stable event ids (4xxx).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4000, EventName = "RouteReplaced", Level = LogLevel.Information, Message = "{Resource}: route {Destination} in {RouteTable} now targets {Eni} (was {Previous}).")]
    public static partial void RouteReplaced(ILogger logger, string resource, string destination, string routeTable, string eni, string previous);

    [LoggerMessage(EventId = 4001, EventName = "RouteReplaceFailed", Level = LogLevel.Error, Message = "{Resource}: replacing route {Destination} in {RouteTable} failed: {Message}")]
    public static partial void RouteReplaceFailed(ILogger logger, string resource, string destination, string routeTable, string message);

    [LoggerMessage(EventId = 4002, EventName = "HostAddressChanged", Level = LogLevel.Information, Message = "{Resource}: {Change}")]
    public static partial void HostAddressChanged(ILogger logger, string resource, string change);

    [LoggerMessage(EventId = 4003, EventName = "AwsNoAnswer", Level = LogLevel.Warning, Message = "{Monitor}: the AWS API gave no answer ({Message}); action {Action}.")]
    public static partial void AwsNoAnswer(ILogger logger, string monitor, string message, AwsApiFailureAction action);

    [LoggerMessage(EventId = 4004, EventName = "RouteDrift", Level = LogLevel.Warning, Message = "{Monitor}: route {Destination} in {RouteTable} targets {Actual}, expected {Expected}.")]
    public static partial void RouteDrift(ILogger logger, string monitor, string destination, string routeTable, string actual, string expected);

    [LoggerMessage(EventId = 4005, EventName = "AddressAssociated", Level = LogLevel.Information, Message = "{Resource}: {AllocationId} associated with {Eni} ({AssociationId}).")]
    public static partial void AddressAssociated(ILogger logger, string resource, string allocationId, string eni, string associationId);

    [LoggerMessage(EventId = 4006, EventName = "RecordChanged", Level = LogLevel.Information, Message = "{Resource}: {Change}")]
    public static partial void RecordChanged(ILogger logger, string resource, string change);

    [LoggerMessage(EventId = 4007, EventName = "PeerFenced", Level = LogLevel.Warning, Message = "fencing: {Peer} ({InstanceId}) is {State} after {Seconds:0.0} s.")]
    public static partial void PeerFenced(ILogger logger, string peer, string instanceId, string state, double seconds);

    [LoggerMessage(EventId = 4008, EventName = "PrivateIpAssigned", Level = LogLevel.Information, Message = "{Resource}: {Change}")]
    public static partial void PrivateIpAssigned(ILogger logger, string resource, string change);

    [LoggerMessage(EventId = 4009, EventName = "VipInsideVpcCidr", Level = LogLevel.Error, Message = "{Resource}: the VIP {Vip} lies inside {Cidr} of {VpcId}; it cannot be routed as a VIP (code 53).")]
    public static partial void VipInsideVpcCidr(ILogger logger, string resource, string vip, string cidr, string vpcId);

    [LoggerMessage(EventId = 4010, EventName = "LeaseAcquired", Level = LogLevel.Information, Message = "witness: {Owner} holds {Group} (epoch {Epoch}, rvn {RecordVersion}).")]
    public static partial void LeaseAcquired(ILogger logger, string group, string owner, long epoch, string recordVersion);

    [LoggerMessage(EventId = 4011, EventName = "LeaseRenewed", Level = LogLevel.Debug, Message = "witness: {Owner} renewed {Group} (epoch {Epoch}, rvn {RecordVersion}).")]
    public static partial void LeaseRenewed(ILogger logger, string group, string owner, long epoch, string recordVersion);

    [LoggerMessage(EventId = 4012, EventName = "LeaseReleased", Level = LogLevel.Information, Message = "witness: {Owner} released {Group} (epoch {Epoch}, rvn {RecordVersion}).")]
    public static partial void LeaseReleased(ILogger logger, string group, string owner, long epoch, string recordVersion);

    [LoggerMessage(EventId = 4013, EventName = "LeaseNotHeld", Message = "witness: {Operation} of {Group} by {Owner}: not held. {Detail}")]
    public static partial void LeaseNotHeld(ILogger logger, LogLevel level, string operation, string group, string owner, string detail);

    [LoggerMessage(EventId = 4014, EventName = "WitnessRefused", Level = LogLevel.Error, Message = "witness: {Operation} of {Subject}: {Detail}")]
    public static partial void WitnessRefused(ILogger logger, string operation, string subject, string detail);

    [LoggerMessage(EventId = 4015, EventName = "WitnessNoAnswer", Level = LogLevel.Warning, Message = "witness: {Operation} of {Subject}: {Detail}; the outcome is unknown.")]
    public static partial void WitnessNoAnswer(ILogger logger, string operation, string subject, string detail);
}
