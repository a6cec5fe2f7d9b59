using Microsoft.Extensions.Configuration;

namespace ClusterPro.DependencyInjection;

/// <summary>Lets several configuration composers share the <c>Type</c> settings of one configuration.</summary>
public static class ConfiguredTypeBuilderExtensions
{
    /// <summary>
    /// Declares the <c>Type</c> values a configuration composer handles in <paramref name="section"/> (ClusterPro.Aws's
    /// <c>AddAwsFromConfiguration</c> declares <c>awsvip</c>, <c>awseip</c> …; ClusterPro.Applications'
    /// <c>AddApplicationsFromConfiguration</c> declares <c>exec</c>, <c>systemd</c> …), so that each composer registers its
    /// own types and leaves the others' alone. At start-up every <c>Type</c> in <paramref name="configuration"/> is checked
    /// against all that were declared, whatever the order of the composers: one whose type nobody handles is reported once,
    /// naming the setting and the types to use (<c>ClusterPro:Groups:failover1:Resources:2:Type is 'awsapp'; use awsvip,
    /// awseip, awsdns or awssip (or register the resource in code and remove Type).</c>), and not again as an unregistered
    /// resource or monitor. A monitor may say <c>"Type": "none"</c> when its implementation is registered in code.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The configuration root holding the <c>ClusterPro</c> section (the first composer's is checked).</param>
    /// <param name="section">Resources or monitors.</param>
    /// <param name="types">The types handled, in the order to suggest them.</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddConfiguredTypes(this IClusterProBuilder builder, IConfiguration configuration, ConfiguredTypeSection section, params string[] types)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(types);
        ConfiguredTypes.For(builder.Services, configuration).Add(section, types);
        return builder;
    }
}
