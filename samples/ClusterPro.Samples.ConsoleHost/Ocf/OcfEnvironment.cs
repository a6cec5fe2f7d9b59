using System.Globalization;

namespace ClusterPro.Samples.ConsoleHost.Ocf;

/// <summary>
/// What the resource manager passes an agent in its environment (OCF 1.1 "Parameter Passing"): the instance parameters
/// (<c>OCF_RESKEY_*</c>), the instance's name, the operation's timeout, the check level, and where state lives.
/// </summary>
/// <param name="read">Reads one variable (the process environment, or a test's dictionary).</param>
internal sealed class OcfEnvironment(Func<string, string?> read)
{
    /// <summary>An operation's timeout when the resource manager gives none (Pacemaker's default).</summary>
    public static readonly TimeSpan DefaultOperationTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The process's own environment.</summary>
    public static OcfEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>A parameter's value, or null when unset or empty (OCF: an empty parameter is an unset one).</summary>
    public string? Parameter(string name) => read("OCF_RESKEY_" + name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>The resource's name in the cluster (<c>OCF_RESOURCE_INSTANCE</c>), or the agent's.</summary>
    public string Instance(OcfAgentKind agent) => read("OCF_RESOURCE_INSTANCE") is { Length: > 0 } name ? name : agent.Name;

    /// <summary>The operation's timeout (<c>OCF_RESKEY_CRM_meta_timeout</c>, milliseconds), or null when it is not a number.</summary>
    public TimeSpan? OperationTimeout => read("OCF_RESKEY_CRM_meta_timeout") is not { Length: > 0 } text
        ? DefaultOperationTimeout
        : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms > 0 ? TimeSpan.FromMilliseconds(ms) : null;

    /// <summary>The raw timeout, for the message when it is not usable.</summary>
    public string? OperationTimeoutText => read("OCF_RESKEY_CRM_meta_timeout");

    /// <summary>OCF_CHECK_LEVEL (0 when unset): validate-all from 10 up also checks this host.</summary>
    public int CheckLevel => int.TryParse(read("OCF_CHECK_LEVEL"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var level) ? level : 0;

    /// <summary>Debug logging (<c>HA_debug=1</c>, as <c>ocf-tester -d</c> sets it).</summary>
    public bool Debug => read("HA_debug") == "1";

    /// <summary>Where the agents keep which resources were started here (<c>HA_RSCTMP</c>, else <c>/run/resource-agents</c>).</summary>
    public string StateDirectory => read("HA_RSCTMP") is { Length: > 0 } dir ? dir : "/run/resource-agents";

    /// <summary>The prefix Pacemaker reads an exit reason by (<c>OCF_EXIT_REASON_PREFIX</c>), or null.</summary>
    public string? ExitReasonPrefix => read("OCF_EXIT_REASON_PREFIX") is { Length: > 0 } prefix ? prefix : null;

    /// <summary>The instance metadata service (<c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c>, as the AWS SDKs read it).</summary>
    public Uri MetadataEndpoint => read("AWS_EC2_METADATA_SERVICE_ENDPOINT") is { Length: > 0 } text && Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri)
        ? uri
        : new Uri("http://169.254.169.254/");

    /// <summary>The node's name as Pacemaker knows it (<c>OCF_RESKEY_CRM_meta_on_node</c>), else the host's; ClusterPro's logs show it.</summary>
    public string NodeName => read("OCF_RESKEY_CRM_meta_on_node") is { Length: > 0 } node ? node : Environment.MachineName;
}
