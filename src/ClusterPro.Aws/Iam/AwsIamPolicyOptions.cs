namespace ClusterPro.Aws.Iam;

/// <summary>What <see cref="AwsIamPolicy.ToJson(AwsIamPolicyOptions)"/> puts in the policy besides what a node needs to run.</summary>
public sealed class AwsIamPolicyOptions
{
    /// <summary>
    /// Whether to add the read-only actions only the preflight (the sample host's <c>doctor</c>) needs, beyond what
    /// <c>run</c>, <c>activate</c>, <c>deactivate</c>, <c>check</c> and fencing call: <c>ec2:DescribeAvailabilityZones</c>
    /// (the credentials check), <c>ec2:DescribeNetworkInterfaces</c> (Source/Dest. Check, the ENIs exist) and
    /// <c>route53:GetHostedZone</c> on the cluster's zones (<see cref="AwsIamPolicy.PreflightStatements"/>). Leave them
    /// out (the sample host's <c>iam-policy --without-preflight</c>) for a role that never runs <c>doctor</c>.
    /// </summary>
    /// <value>Default: true.</value>
    public bool IncludePreflight { get; set; } = true;

    /// <summary>
    /// Whether to add the statements needed only once to set the cluster up (<see cref="AwsIamPolicy.SetupStatements"/>,
    /// Sids <c>ClusterProSetup1</c> …): for the operator who sets up, not for the nodes.
    /// </summary>
    /// <value>Default: false.</value>
    public bool IncludeSetup { get; set; }
}
