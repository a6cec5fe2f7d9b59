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
}
