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
    public const string WithoutPreflight = "--without-preflight";

    public static int Run(string[] args, TextWriter output)
    {
        string? config = null;
        var options = new AwsIamPolicyOptions();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--config" when i + 1 < args.Length:
                    config = args[++i];
                    break;
                case WithoutPreflight:
                    options.IncludePreflight = false;
                    break;
                default:
                    throw new UsageException($"Unexpected argument '{args[i]}'; iam-policy takes --config FILE and optionally {WithoutPreflight}.");
            }
        }

        using var services = NodeServices.Build(NodeServices.Load(config ?? throw new UsageException("--config is required.")), LogLevel.Warning);
        output.WriteLine(services.GetRequiredService<AwsIamPolicy>().ToJson(options));
        return 0;
    }
}
