using System.Xml.Linq;

namespace ClusterPro.Aws.Testing.Route53;

/// <summary>A Route 53 response: status, body and an optional Location header.</summary>
internal sealed record Route53Response(int Status, XElement Body, string? Location = null);
