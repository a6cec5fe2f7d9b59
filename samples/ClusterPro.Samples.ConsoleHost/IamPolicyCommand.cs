using ClusterPro.Aws.Iam;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>
/// <c>iam-policy --config FILE [--without-preflight]</c>: the least-privilege IAM policy for the cluster, covering every
/// command an operator runs (run, activate, deactivate, check, fencing, the witness and doctor's preflight); with
/// <c>--without-preflight</c>, without the read-only actions only <c>doctor</c> needs.
/// </summary>
internal static class IamPolicyCommand
{
    public static int Run(string config, bool withoutPreflight, TextWriter output)
    {
        using var services = NodeServices.Build(NodeServices.Load(config), LogLevel.Warning);
        output.WriteLine(services.GetRequiredService<AwsIamPolicy>().ToJson(new AwsIamPolicyOptions { IncludePreflight = !withoutPreflight }));
        return 0;
    }
}
