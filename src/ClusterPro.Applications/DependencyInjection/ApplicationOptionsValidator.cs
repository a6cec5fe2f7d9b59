using System.ComponentModel.DataAnnotations;
using System.Globalization;
using ClusterPro.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.Applications.DependencyInjection;

/// <summary>
/// Validates one named application options instance at start-up: its DataAnnotations, then its own rules, which may read
/// the cluster's settings (null when those are themselves invalid; they are reported on their own). One message per
/// problem, naming the setting, its value and the fix.
/// </summary>
/// <typeparam name="TOptions">The options.</typeparam>
internal sealed class ApplicationOptionsValidator<TOptions>(
    IServiceProvider services,
    string name,
    string path,
    Action<TOptions, string, ClusterProOptions?, IServiceProvider, List<string>> rules) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? optionsName, TOptions options)
    {
        if (!string.Equals(optionsName, name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        foreach (var result in results)
        {
            foreach (var member in result.MemberNames)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path}:{member} is {options.GetType().GetProperty(member)?.GetValue(options)}; {result.ErrorMessage}."));
            }
        }

        rules(options, path, Cluster(), services, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>
    /// The cluster's settings: validated when they are valid; else as configured (the cluster's own problems are reported
    /// on their own), so that these settings are still checked against its nodes and groups.
    /// </summary>
    private ClusterProOptions? Cluster()
    {
        try
        {
            return services.GetService<IOptions<ClusterProOptions>>()?.Value;
        }
        catch (OptionsValidationException)
        {
            var options = new ClusterProOptions();
            foreach (var configure in services.GetServices<IConfigureOptions<ClusterProOptions>>())
            {
                if (configure is IConfigureNamedOptions<ClusterProOptions> named)
                {
                    named.Configure(Options.DefaultName, options);
                }
                else
                {
                    configure.Configure(options);
                }
            }

            foreach (var post in services.GetServices<IPostConfigureOptions<ClusterProOptions>>())
            {
                post.PostConfigure(Options.DefaultName, options);
            }

            return options;
        }
    }
}
