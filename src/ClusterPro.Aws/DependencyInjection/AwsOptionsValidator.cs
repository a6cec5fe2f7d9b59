using System.Diagnostics.CodeAnalysis;
using ClusterPro.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.Aws.DependencyInjection;

/// <summary>
/// Validates one named AWS options instance at start-up: the validation attributes on the options (<c>[Range]</c>, so a
/// range is written once), the kind's cross-field rules and the checks against the cluster. One message per problem,
/// naming the setting, its value and the fix.
/// </summary>
/// <typeparam name="TOptions">The options.</typeparam>
internal sealed class AwsOptionsValidator<[DynamicallyAccessedMembers(AwsOptionsValidator.Members)] TOptions>(
    string name,
    string path,
    Func<ClusterProOptions> cluster,
    Action<TOptions, string, IReadOnlyList<string>, List<string>> rules,
    Action<TOptions, ClusterProOptions, List<string>>? crossChecks) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? optionsName, TOptions options)
    {
        if (!string.Equals(optionsName, name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        var clusterOptions = cluster();
        OptionsAnnotations.Check(options, path, errors);
        rules(options, path, clusterOptions.NodeNames, errors);
        crossChecks?.Invoke(options, clusterOptions, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>What the AWS options types keep when trimmed.</summary>
internal static class AwsOptionsValidator
{
    /// <summary>A constructor for the options system, the properties whose attributes are checked.</summary>
    public const DynamicallyAccessedMemberTypes Members = DynamicallyAccessedMemberTypes.PublicParameterlessConstructor | DynamicallyAccessedMemberTypes.PublicProperties;
}
