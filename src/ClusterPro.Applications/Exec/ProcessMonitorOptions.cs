using ClusterPro.Applications.DependencyInjection;

namespace ClusterPro.Applications.Exec;

/// <summary>
/// The settings of a process monitor (configuration <c>"Type": "process"</c>): it reports whether the service of an exec
/// resource in <c>service</c> mode is alive on the node. <see cref="ApplicationMonitorOptions.Resource"/> names that
/// resource (required).
/// </summary>
public sealed class ProcessMonitorOptions : ApplicationMonitorOptions;
