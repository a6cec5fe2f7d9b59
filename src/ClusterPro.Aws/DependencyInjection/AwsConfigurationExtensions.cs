using Microsoft.Extensions.Configuration;

namespace ClusterPro.Aws.DependencyInjection;

/// <summary>Binding AWS resource settings from configuration.</summary>
public static class AwsConfigurationExtensions
{
    /// <summary>Binds <paramref name="section"/> onto the options (for use as the <c>configure</c> argument).</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="section">The section (e.g. <c>ClusterPro:Groups:failover1:Resources:0</c>).</param>
    /// <returns>A configure action.</returns>
    public static Action<TOptions> BindFrom<TOptions>(IConfiguration section)
        where TOptions : class => o => section.Bind(o);
}
