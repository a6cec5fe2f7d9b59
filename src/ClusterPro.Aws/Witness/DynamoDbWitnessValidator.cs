using System.Text.RegularExpressions;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.DependencyInjection;
using ClusterPro.Witness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.Aws.Witness;

/// <summary>
/// The start-up checks of <c>ClusterPro:Witness</c> that belong to the DynamoDB witness: the type (<c>dynamodb</c>,
/// unless the host registered a lease store of its own for another type) and the table name as DynamoDB accepts it.
/// The core checks the rest (a table is named, the lease outlasts three calls and a heartbeat, a store is registered).
/// </summary>
internal sealed partial class DynamoDbWitnessValidator(IServiceProvider services) : IValidateOptions<ClusterProOptions>
{
    private const string Path = $"{ClusterProOptions.SectionName}:Witness";

    public ValidateOptionsResult Validate(string? name, ClusterProOptions options)
    {
        if (!string.Equals(name ?? Options.DefaultName, Options.DefaultName, StringComparison.Ordinal) || !options.Witness.Enabled)
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        var witness = options.Witness;
        var type = witness.Type!.Trim();
        var added = services.GetService<DynamoDbWitnessMarker>() is not null;
        if (!string.Equals(type, DynamoDbWitnessBuilderExtensions.WitnessType, StringComparison.OrdinalIgnoreCase))
        {
            if (added)
            {
                errors.Add($"{Path}:Type is '{witness.Type}', but the DynamoDB witness is added (AddDynamoDbWitness); set {Path}:Type to dynamodb, or leave it unset.");
            }
            else if (services.GetService<IServiceProviderIsService>() is { } registry && !registry.IsService(typeof(IGroupLeaseStore)))
            {
                errors.Add($"{Path}:Type is '{witness.Type}', which is not a witness ClusterPro.Aws provides; use dynamodb (a DynamoDB table holding one lease per group, named in {Path}:Table), or register your own IGroupLeaseStore for '{witness.Type}'.");
            }

            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }

        if (TableNameProblem(witness.Table) is { } problem)
        {
            errors.Add($"{Path}:Table is '{witness.Table}', {problem}");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>What is wrong with a DynamoDB table name, with the fix, or <see langword="null"/> (an empty name is the core's to report).</summary>
    internal static string? TableNameProblem(string? table) =>
        string.IsNullOrWhiteSpace(table) || TableName().IsMatch(table)
            ? null
            : "which DynamoDB does not accept as a table name; use 3 to 255 characters of letters, digits, '_', '-' and '.' (e.g. clusterpro-witness).";

    [GeneratedRegex("^[A-Za-z0-9_.-]{3,255}$", RegexOptions.CultureInvariant)]
    private static partial Regex TableName();
}
