namespace ClusterPro.Aws.Iam;

/// <summary>One IAM policy statement (Effect Allow).</summary>
/// <param name="Actions">The actions (e.g. <c>ec2:ReplaceRoute</c>).</param>
/// <param name="Resources">The resource ARNs, or <c>*</c> where the action supports no resource-level permission.</param>
/// <param name="ConditionOperator">An optional condition operator (e.g. <c>ArnLike</c>).</param>
/// <param name="ConditionKey">The condition key (e.g. <c>ec2:Vpc</c>).</param>
/// <param name="ConditionValues">The condition values.</param>
public sealed record IamStatement(
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> Resources,
    string? ConditionOperator = null,
    string? ConditionKey = null,
    IReadOnlyList<string>? ConditionValues = null);
