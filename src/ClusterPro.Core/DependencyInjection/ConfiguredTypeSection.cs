namespace ClusterPro.DependencyInjection;

/// <summary>Where a configuration entry names its implementation with a <c>Type</c> setting.</summary>
public enum ConfiguredTypeSection
{
    /// <summary>A group resource: <c>ClusterPro:Groups:{group}:Resources:{n}:Type</c>.</summary>
    Resources,

    /// <summary>A monitor: <c>ClusterPro:Monitors:{monitor}:Type</c>.</summary>
    Monitors,
}
