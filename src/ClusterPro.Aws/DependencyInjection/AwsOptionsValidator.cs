using System.ComponentModel.DataAnnotations;
using System.Globalization;
using ClusterPro.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.Aws.DependencyInjection;

/// <summary>
/// Validates one named AWS options instance at start-up: the <c>[Range]</c> attributes on the options (so a range is
/// written once), the kind's cross-field rules and the checks against the cluster. One message per problem, naming the
/// setting, its value and the fix.
/// </summary>
/// <typeparam name="TOptions">The options.</typeparam>
internal sealed class AwsOptionsValidator<TOptions>(
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
        CheckAnnotations(options, path, errors);
        rules(options, path, clusterOptions.NodeNames, errors);
        crossChecks?.Invoke(options, clusterOptions, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Evaluates the DataAnnotations of <paramref name="options"/>: <c>{path}:{Setting} is {value}; {fix}.</c></summary>
    internal static void CheckAnnotations(object options, string path, List<string> errors)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        foreach (var result in results)
        {
            foreach (var member in result.MemberNames)
            {
                var value = options.GetType().GetProperty(member)?.GetValue(options);
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path}:{member} is {value}; {result.ErrorMessage}."));
            }
        }
    }
}
