using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.DependencyInjection;

/// <summary>
/// The <c>Type</c> values the configuration composers of a service collection handle (each declares its own), and the
/// check of every <c>Type</c> in the configuration against all of them at start-up: an entry whose type nobody handles
/// is reported once, by its type, and not again as an unregistered resource or monitor.
/// </summary>
internal sealed class ConfiguredTypes : IValidateOptions<ClusterProOptions>
{
    private const string Root = ClusterProOptions.SectionName;

    /// <summary>A monitor configured for code alone (its implementation registered there) may say so.</summary>
    private const string NoType = "none";

    private readonly List<string> _resources = [];
    private readonly List<string> _monitors = [];

    private ConfiguredTypes(IConfiguration configuration) => Configuration = configuration;

    /// <summary>The configuration whose entries are checked (the first composer's).</summary>
    public IConfiguration Configuration { get; }

    /// <summary>The instance of <paramref name="services"/>, added (with its check) on first use.</summary>
    public static ConfiguredTypes For(IServiceCollection services, IConfiguration configuration)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(ConfiguredTypes))?.ImplementationInstance is ConfiguredTypes existing)
        {
            return existing;
        }

        var types = new ConfiguredTypes(configuration);
        services.AddSingleton(types);
        services.AddSingleton<IValidateOptions<ClusterProOptions>>(types);
        return types;
    }

    /// <summary>Declares types handled in <paramref name="section"/>.</summary>
    public void Add(ConfiguredTypeSection section, IEnumerable<string> types)
    {
        var list = section == ConfiguredTypeSection.Resources ? _resources : _monitors;
        foreach (var type in types)
        {
            if (!string.IsNullOrWhiteSpace(type) && !list.Contains(type, StringComparer.OrdinalIgnoreCase))
            {
                list.Add(type.Trim());
            }
        }
    }

    /// <summary>Whether the resource or monitor <paramref name="name"/> is configured with a type nobody handles.</summary>
    public bool IsUnknown(ConfiguredTypeSection section, string name) =>
        Entries(section).Any(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase) && !Known(section, e.Type));

    public ValidateOptionsResult Validate(string? name, ClusterProOptions options)
    {
        var problems = new List<string>();
        foreach (var section in new[] { ConfiguredTypeSection.Resources, ConfiguredTypeSection.Monitors })
        {
            foreach (var (path, _, type) in Entries(section).Where(e => !Known(section, e.Type)))
            {
                var what = section == ConfiguredTypeSection.Resources ? "resource" : "monitor";
                var list = section == ConfiguredTypeSection.Resources ? _resources : _monitors;
                problems.Add(list.Count == 0
                    ? $"{path}:Type is '{type}', but no configuration composer is added; call the composer of that type (e.g. AddAwsFromConfiguration) or register the {what} in code and remove Type."
                    : $"{path}:Type is '{type}'; use {Join(list)} (or register the {what} in code and remove Type).");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private bool Known(ConfiguredTypeSection section, string type) =>
        (section == ConfiguredTypeSection.Resources ? _resources : _monitors).Contains(type.Trim(), StringComparer.OrdinalIgnoreCase)
        || (section == ConfiguredTypeSection.Monitors && string.Equals(type.Trim(), NoType, StringComparison.OrdinalIgnoreCase));

    /// <summary>The configured entries with a <c>Type</c>: their path, name and type.</summary>
    private IEnumerable<(string Path, string Name, string Type)> Entries(ConfiguredTypeSection section)
    {
        var root = Configuration.GetSection(Root);
        if (section == ConfiguredTypeSection.Monitors)
        {
            foreach (var monitor in root.GetSection("Monitors").GetChildren())
            {
                if (!string.IsNullOrWhiteSpace(monitor["Type"]))
                {
                    yield return (monitor.Path, monitor.Key, monitor["Type"]!);
                }
            }

            yield break;
        }

        foreach (var group in root.GetSection("Groups").GetChildren())
        {
            foreach (var resource in group.GetSection("Resources").GetChildren())
            {
                if (!string.IsNullOrWhiteSpace(resource["Name"]) && !string.IsNullOrWhiteSpace(resource["Type"]))
                {
                    yield return (resource.Path, resource["Name"]!, resource["Type"]!);
                }
            }
        }
    }

    private static string Join(List<string> types) =>
        types.Count == 1 ? types[0] : $"{string.Join(", ", types.Take(types.Count - 1))} or {types[^1]}";
}
