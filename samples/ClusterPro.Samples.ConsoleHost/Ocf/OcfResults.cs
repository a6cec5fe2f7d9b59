using ClusterPro.Aws;
using ClusterPro.Monitoring;
using ClusterPro.Resources;

namespace ClusterPro.Samples.ConsoleHost.Ocf;

/// <summary>
/// ClusterPro's result codes (SPEC section 10, <see cref="AwsResultCodes"/>) as OCF exit codes. The code says what
/// happened; for code 50 (the AWS API call failed) AWS's own message says why, in the runbook's words: refused by IAM
/// (OCF_ERR_PERM), an ID AWS does not know or a VIP no route table holds (OCF_ERR_CONFIGURED: no node can do better),
/// else OCF_ERR_GENERIC (throttling, 5xx, no answer: another try or node may succeed). Timeouts (1, 51, 53 of awseip)
/// and unexpected exceptions (99) are OCF_ERR_GENERIC; awsvip's 53 (the VIP lies inside the VPC) is OCF_ERR_CONFIGURED.
/// </summary>
internal static class OcfResults
{
    /// <summary>A start or stop: success is OCF_SUCCESS, a failure by its code.</summary>
    public static int Of(OcfAgentKind agent, ResourceResult result) => result.Succeeded ? OcfExitCode.Success : Failure(agent, result.Code, result.Message);

    /// <summary>
    /// A monitor of a resource started here: Normal is OCF_SUCCESS; so are Unknown and Warning (AWS gave no answer and
    /// api_failure is silent or warn: nothing is known, nothing is recovered); an Error by its code — drift (the VIP's
    /// routes, the EIP or the record point elsewhere: 56, 52, 53, 54, 55) is OCF_ERR_GENERIC, so Pacemaker recovers it.
    /// </summary>
    public static int Of(OcfAgentKind agent, MonitorResult result) =>
        result.Status == MonitorStatus.Error ? Failure(agent, result.Code, result.Message) : OcfExitCode.Success;

    private static int Failure(OcfAgentKind agent, int code, string message) => code switch
    {
        AwsResultCodes.ApiFailed when message.Contains("not authorized", StringComparison.OrdinalIgnoreCase)
            || message.Contains("AccessDenied", StringComparison.Ordinal) || message.Contains("Access denied", StringComparison.OrdinalIgnoreCase) => OcfExitCode.Perm,
        AwsResultCodes.ApiFailed when message.Contains("does not exist", StringComparison.Ordinal)
            || message.Contains("No hosted zone found", StringComparison.Ordinal)
            || message.StartsWith("No route table of ", StringComparison.Ordinal) => OcfExitCode.Configured,
        AwsResultCodes.VipInVpcCidr when agent == OcfAgentKind.Vip => OcfExitCode.Configured,
        _ => OcfExitCode.Generic,
    };
}
