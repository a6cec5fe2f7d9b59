using ClusterPro.Aws.Iam;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>
/// <c>iam-policy --config FILE [--without-preflight] [--include-setup]</c>: the least-privilege IAM policy for the cluster,
/// covering every command an operator runs (run, activate, deactivate, check, fencing, the witness and doctor's preflight);
/// with <c>--without-preflight</c>, without the read-only actions only <c>doctor</c> needs; with <c>--include-setup</c>,
/// with the set-up actions too (<c>dynamodb:CreateTable</c> on the witness table, which <c>witness-init</c> needs).
/// </summary>
internal static class IamPolicyCommand
{
    public static int Run(string config, bool withoutPreflight, bool includeSetup, TextWriter output)
    {
        using var services = NodeServices.Build(NodeServices.Load(config), LogLevel.Warning);
        output.WriteLine(services.GetRequiredService<AwsIamPolicy>().ToJson(new AwsIamPolicyOptions { IncludePreflight = !withoutPreflight, IncludeSetup = includeSetup }));
        return 0;
    }
}
