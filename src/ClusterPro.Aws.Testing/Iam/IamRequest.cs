namespace ClusterPro.Aws.Testing.Iam;

/// <summary>What one API request asks IAM for: an action (e.g. <c>ec2:ReplaceRoute</c>) on resources, with condition keys.</summary>
/// <param name="Action">The IAM action, <c>service:Operation</c>.</param>
/// <param name="Resources">The ARNs the action touches (each must be allowed), or <c>*</c> for an action without resource-level permissions.</param>
/// <param name="Context">Condition keys known for the request (e.g. <c>ec2:Vpc</c>, <c>aws:RequestedRegion</c>), by ARN or value.</param>
internal sealed record IamRequest(string Action, IReadOnlyList<string> Resources, IReadOnlyDictionary<string, string> Context);
