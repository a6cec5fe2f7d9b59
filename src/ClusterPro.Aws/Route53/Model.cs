using System.Net;
using Amazon.Runtime;

#pragma warning disable CA1056, CA1002, CA2227, CA1707, CA1711, CA1819 // Shaped like the official AWSSDK.Route53 model so it can replace this one.

namespace ClusterPro.Aws.Route53;

/// <summary>A change action (as in AWSSDK.Route53).</summary>
/// <param name="value">The wire value.</param>
public sealed class ChangeAction(string value) : ConstantClass(value)
{
    /// <summary>CREATE.</summary>
    public static readonly ChangeAction CREATE = new("CREATE");

    /// <summary>DELETE.</summary>
    public static readonly ChangeAction DELETE = new("DELETE");

    /// <summary>UPSERT.</summary>
    public static readonly ChangeAction UPSERT = new("UPSERT");
}

/// <summary>A record type (as in AWSSDK.Route53).</summary>
/// <param name="value">The wire value.</param>
public sealed class RRType(string value) : ConstantClass(value)
{
    /// <summary>A.</summary>
    public static readonly RRType A = new("A");

    /// <summary>AAAA.</summary>
    public static readonly RRType AAAA = new("AAAA");

    /// <summary>CNAME.</summary>
    public static readonly RRType CNAME = new("CNAME");

    /// <summary>The type for a wire value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The type.</returns>
    public static RRType FindValue(string value) => value switch { "A" => A, "AAAA" => AAAA, "CNAME" => CNAME, _ => new RRType(value) };
}

/// <summary>A change's status (as in AWSSDK.Route53).</summary>
/// <param name="value">The wire value.</param>
public sealed class ChangeStatus(string value) : ConstantClass(value)
{
    /// <summary>PENDING.</summary>
    public static readonly ChangeStatus PENDING = new("PENDING");

    /// <summary>INSYNC.</summary>
    public static readonly ChangeStatus INSYNC = new("INSYNC");

    /// <summary>The status for a wire value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The status.</returns>
    public static ChangeStatus FindValue(string value) => value == "INSYNC" ? INSYNC : value == "PENDING" ? PENDING : new ChangeStatus(value);
}

/// <summary>One value of a record set.</summary>
public sealed class ResourceRecord
{
    /// <summary>Creates an empty record.</summary>
    public ResourceRecord()
    {
    }

    /// <summary>Creates a record with a value.</summary>
    /// <param name="value">The value.</param>
    public ResourceRecord(string value) => Value = value;

    /// <summary>The value (e.g. an IPv4 address).</summary>
    public string Value { get; set; } = string.Empty;
}

/// <summary>A resource record set.</summary>
public sealed class ResourceRecordSet
{
    /// <summary>The name (FQDN with trailing dot).</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The type.</summary>
    public RRType Type { get; set; } = RRType.A;

    /// <summary>The TTL in seconds.</summary>
    public long? TTL { get; set; }

    /// <summary>The values.</summary>
    public List<ResourceRecord> ResourceRecords { get; set; } = [];
}

/// <summary>One change of a batch.</summary>
public sealed class Change
{
    /// <summary>Creates an empty change.</summary>
    public Change()
    {
    }

    /// <summary>Creates a change.</summary>
    /// <param name="action">The action.</param>
    /// <param name="set">The record set.</param>
    public Change(ChangeAction action, ResourceRecordSet set)
    {
        Action = action;
        ResourceRecordSet = set;
    }

    /// <summary>The action.</summary>
    public ChangeAction Action { get; set; } = ChangeAction.UPSERT;

    /// <summary>The record set.</summary>
    public ResourceRecordSet ResourceRecordSet { get; set; } = new();
}

/// <summary>A change batch.</summary>
public sealed class ChangeBatch
{
    /// <summary>An optional comment.</summary>
    public string? Comment { get; set; }

    /// <summary>The changes, applied all or nothing.</summary>
    public List<Change> Changes { get; set; } = [];
}

/// <summary>A submitted change.</summary>
public sealed class ChangeInfo
{
    /// <summary>The change ID (<c>/change/C…</c>).</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>PENDING or INSYNC.</summary>
    public ChangeStatus Status { get; set; } = ChangeStatus.PENDING;

    /// <summary>When it was submitted.</summary>
    public DateTime SubmittedAt { get; set; }

    /// <summary>The batch's comment.</summary>
    public string? Comment { get; set; }
}

/// <summary>A VPC associated with a private hosted zone.</summary>
public sealed class VPC
{
    /// <summary>The VPC ID.</summary>
    public string VPCId { get; set; } = string.Empty;

    /// <summary>Its region.</summary>
    public string VPCRegion { get; set; } = string.Empty;
}

/// <summary>A hosted zone's configuration.</summary>
public sealed class HostedZoneConfig
{
    /// <summary>Whether the zone is private.</summary>
    public bool? PrivateZone { get; set; }

    /// <summary>Its comment.</summary>
    public string? Comment { get; set; }
}

/// <summary>A hosted zone.</summary>
public sealed class HostedZone
{
    /// <summary>The ID (<c>/hostedzone/Z…</c>).</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The zone name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The configuration.</summary>
    public HostedZoneConfig Config { get; set; } = new();

    /// <summary>How many record sets it holds.</summary>
    public long? ResourceRecordSetCount { get; set; }
}

/// <summary>ChangeResourceRecordSets request.</summary>
public sealed class ChangeResourceRecordSetsRequest
{
    /// <summary>The hosted zone ID.</summary>
    public string HostedZoneId { get; set; } = string.Empty;

    /// <summary>The batch.</summary>
    public ChangeBatch ChangeBatch { get; set; } = new();
}

/// <summary>ChangeResourceRecordSets response.</summary>
public sealed class ChangeResourceRecordSetsResponse
{
    /// <summary>The submitted change.</summary>
    public ChangeInfo ChangeInfo { get; set; } = new();
}

/// <summary>ListResourceRecordSets request.</summary>
public sealed class ListResourceRecordSetsRequest
{
    /// <summary>The hosted zone ID.</summary>
    public string HostedZoneId { get; set; } = string.Empty;

    /// <summary>List from this name on.</summary>
    public string? StartRecordName { get; set; }

    /// <summary>And this type (requires a name).</summary>
    public RRType? StartRecordType { get; set; }

    /// <summary>At most this many (as a string, as in AWSSDK.Route53).</summary>
    public string? MaxItems { get; set; }
}

/// <summary>ListResourceRecordSets response.</summary>
public sealed class ListResourceRecordSetsResponse
{
    /// <summary>The record sets.</summary>
    public List<ResourceRecordSet> ResourceRecordSets { get; set; } = [];

    /// <summary>Whether more follow.</summary>
    public bool? IsTruncated { get; set; }

    /// <summary>The next name when truncated.</summary>
    public string? NextRecordName { get; set; }

    /// <summary>The next type when truncated.</summary>
    public RRType? NextRecordType { get; set; }

    /// <summary>The page size used.</summary>
    public string? MaxItems { get; set; }
}

/// <summary>GetChange request.</summary>
public sealed class GetChangeRequest
{
    /// <summary>The change ID (with or without <c>/change/</c>).</summary>
    public string Id { get; set; } = string.Empty;
}

/// <summary>GetChange response.</summary>
public sealed class GetChangeResponse
{
    /// <summary>The change.</summary>
    public ChangeInfo ChangeInfo { get; set; } = new();
}

/// <summary>GetHostedZone request.</summary>
public sealed class GetHostedZoneRequest
{
    /// <summary>The hosted zone ID (with or without <c>/hostedzone/</c>).</summary>
    public string Id { get; set; } = string.Empty;
}

/// <summary>GetHostedZone response.</summary>
public sealed class GetHostedZoneResponse
{
    /// <summary>The zone.</summary>
    public HostedZone HostedZone { get; set; } = new();

    /// <summary>The VPCs of a private zone.</summary>
    public List<VPC> VPCs { get; set; } = [];
}

/// <summary>An error answered by Route 53, with its AWS error code.</summary>
public class AmazonRoute53Exception : AmazonServiceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">AWS's message.</param>
    /// <param name="errorCode">AWS's error code.</param>
    /// <param name="requestId">The request ID.</param>
    /// <param name="statusCode">The HTTP status.</param>
    public AmazonRoute53Exception(string message, string errorCode, string requestId, HttpStatusCode statusCode)
        : base(message, null, statusCode >= HttpStatusCode.InternalServerError ? ErrorType.Receiver : ErrorType.Sender, errorCode, requestId, statusCode)
    {
    }
}

/// <summary>NoSuchHostedZone.</summary>
public sealed class NoSuchHostedZoneException(string message, string requestId, HttpStatusCode statusCode)
    : AmazonRoute53Exception(message, "NoSuchHostedZone", requestId, statusCode);

/// <summary>InvalidChangeBatch: the whole batch was rejected; <see cref="Messages"/> lists why.</summary>
public sealed class InvalidChangeBatchException(string message, IReadOnlyList<string> messages, string requestId, HttpStatusCode statusCode)
    : AmazonRoute53Exception(message, "InvalidChangeBatch", requestId, statusCode)
{
    /// <summary>Each problem of the batch.</summary>
    public IReadOnlyList<string> Messages { get; } = messages;
}
