using ClusterPro.Monitoring;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Aws.Internal;

/// <summary>Turns a failed AWS call in a monitor into its result, applying the "AWS API gives no answer" action to no-answer failures only.</summary>
internal static class MonitorFailures
{
    public static MonitorResult From(AwsCallException failure, AwsApiFailureAction action, int errorCode, int timeoutCode, string monitor, ILogger logger)
    {
        var code = failure.Kind == AwsFailureKind.Timeout ? timeoutCode : errorCode;
        var message = failure.Kind == AwsFailureKind.Timeout ? AwsResultCodes.TimeoutOccurred : failure.Message;
        if (!failure.IsNoAnswer)
        {
            return MonitorResult.Error(code, message);
        }

        Log.AwsNoAnswer(logger, monitor, failure.Message, action);
        return action switch
        {
            AwsApiFailureAction.Recover => MonitorResult.Error(code, message),
            AwsApiFailureAction.Warn => MonitorResult.Warning(code, message),
            _ => MonitorResult.Unknown($"The AWS API gave no answer ({message}); nothing is known, nothing is recovered (MonitorApiFailureAction is Silent)."),
        };
    }
}
