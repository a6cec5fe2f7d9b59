using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
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
        AwsOptionsValidator.CheckAnnotations(options, path, errors);
        rules(options, path, clusterOptions.NodeNames, errors);
        crossChecks?.Invoke(options, clusterOptions, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>The validation attributes of AWS options, read from their public properties (no reflection beyond what the trimmer keeps).</summary>
internal static class AwsOptionsValidator
{
    /// <summary>What the options types keep when trimmed: a constructor for the options system, the properties to check.</summary>
    public const DynamicallyAccessedMemberTypes Members = DynamicallyAccessedMemberTypes.PublicParameterlessConstructor | DynamicallyAccessedMemberTypes.PublicProperties;

    /// <summary>Evaluates the validation attributes of <paramref name="options"/>: <c>{path}:{Setting} is {value}; {fix}.</c></summary>
    public static void CheckAnnotations<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(TOptions options, string path, List<string> errors)
    {
        foreach (var property in typeof(TOptions).GetProperties().Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
        {
            foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>(inherit: true))
            {
                var value = property.GetValue(options);
                if (!attribute.IsValid(value))
                {
                    errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path}:{property.Name} is {value}; {attribute.FormatErrorMessage(property.Name)}."));
                }
            }
        }
    }
}
