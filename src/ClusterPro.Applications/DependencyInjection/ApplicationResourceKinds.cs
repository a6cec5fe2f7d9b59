using Microsoft.Extensions.DependencyInjection;

namespace ClusterPro.Applications.DependencyInjection;

/// <summary>Which resources are exec or systemd resources, for the monitors that watch them (checked at start-up).</summary>
internal sealed class ApplicationResourceKinds
{
    public const string Exec = "exec";
    public const string Systemd = "systemd";

    private readonly Dictionary<string, string> _kinds = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The instance of <paramref name="services"/>, added on first use.</summary>
    public static ApplicationResourceKinds For(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(ApplicationResourceKinds))?.ImplementationInstance is ApplicationResourceKinds existing)
        {
            return existing;
        }

        var kinds = new ApplicationResourceKinds();
        services.AddSingleton(kinds);
        return kinds;
    }

    private readonly HashSet<string> _unreadable = new(StringComparer.OrdinalIgnoreCase);

    public void Add(string resource, string kind) => _kinds[resource] = kind;

    /// <summary>Notes that <paramref name="resource"/>'s settings could not all be read (reported already), so that checks that depend on them stay quiet.</summary>
    public void MarkUnreadable(string resource) => _unreadable.Add(resource);

    /// <summary>Whether <paramref name="resource"/>'s settings could all be read.</summary>
    public bool IsReadable(string resource) => !_unreadable.Contains(resource);

    /// <summary>The kind of <paramref name="resource"/> (<see cref="Exec"/>, <see cref="Systemd"/>), or null when it is neither.</summary>
    public string? KindOf(string resource) => _kinds.GetValueOrDefault(resource);
}
