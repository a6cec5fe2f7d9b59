namespace ClusterPro.Aws.Iam;

/// <summary>Contributes the statements one configured resource or monitor needs.</summary>
public interface IAwsIamPolicyContributor
{
    /// <summary>The statements.</summary>
    /// <returns>The statements.</returns>
    IEnumerable<IamStatement> Statements();

    /// <summary>
    /// The statements needed only to set the cluster up once, not to run it (e.g. creating the witness table); they are
    /// left out of <see cref="AwsIamPolicy.Statements"/> and listed in <see cref="AwsIamPolicy.SetupStatements"/>.
    /// </summary>
    /// <returns>The statements; none by default.</returns>
    IEnumerable<IamStatement> SetupStatements() => [];

    /// <summary>
    /// The read-only statements only the preflight (<c>doctor</c>) needs beyond <see cref="Statements"/> (e.g.
    /// <c>ec2:DescribeNetworkInterfaces</c> to check Source/Dest. Check); listed in
    /// <see cref="AwsIamPolicy.PreflightStatements"/> and in the policy unless <see cref="AwsIamPolicyOptions.IncludePreflight"/> is off.
    /// </summary>
    /// <returns>The statements; none by default.</returns>
    IEnumerable<IamStatement> PreflightStatements() => [];
}
