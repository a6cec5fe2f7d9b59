namespace ClusterPro.Aws.Iam;

/// <summary>Contributes the statements one configured resource or monitor needs.</summary>
public interface IAwsIamPolicyContributor
{
    /// <summary>The statements.</summary>
    /// <returns>The statements.</returns>
    IEnumerable<IamStatement> Statements();
}
