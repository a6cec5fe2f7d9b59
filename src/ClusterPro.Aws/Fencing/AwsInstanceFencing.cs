using Amazon.EC2;
using Amazon.EC2.Model;
using ClusterPro.Aws.Internal;
using ClusterPro.Failover;
using ClusterPro.Resources;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Aws.Fencing;

/// <summary>
/// Fences a peer: checks that this node's own instance is running (else does nothing, as fence_aws does), then
/// StopInstances with Force on the peer's instance, then polls DescribeInstances (the library's one polling mechanism: intervals doubling up to 10 s) until it is
/// <c>stopped</c>, bounded by <see cref="AwsFencingOptions.StopTimeout"/>. A failure is reported as such, never as
/// "not running".
/// </summary>
internal sealed class AwsInstanceFencing(AwsFencingOptions options, IAmazonEC2 ec2, TimeProvider time, ILogger<AwsInstanceFencing> logger) : IFencingAgent
{
    private readonly AwsCall _aws = new(options.AwsCallTimeout, time);

    public async Task<FenceResult> FenceAsync(string selfNode, string peerNode, CancellationToken cancellationToken = default)
    {
        var selfId = options.InstanceId.ResolveRequired(selfNode, "InstanceId");
        var peerId = options.InstanceId.ResolveRequired(peerNode, "InstanceId");
        var started = time.GetTimestamp();
        try
        {
            var own = await StateAsync(selfId, cancellationToken).ConfigureAwait(false);
            if (own != "running")
            {
                return new FenceResult(false, AwsFencingCodes.OwnInstanceNotRunning, $"This node's instance {selfId} is {own}; not fencing {peerNode} ({peerId}).");
            }

            await _aws.RunAsync(ct => ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [peerId], Force = true }, ct), cancellationToken).ConfigureAwait(false);
            var outcome = await Poll.UntilAsync(
                (_, ct) => StateAsync(peerId, ct),
                state => state is "stopped" or "terminated",
                options.PollInterval,
                TimeSpan.FromSeconds(10),
                options.StopTimeout - time.GetElapsedTime(started),
                time,
                cancellationToken).ConfigureAwait(false);
            var took = time.GetElapsedTime(started);
            if (!outcome.Reached)
            {
                return new FenceResult(false, AwsFencingCodes.Timeout, $"{AwsResultCodes.TimeoutOccurred} {peerNode} ({peerId}) is still {outcome.Last} after {options.StopTimeout.TotalSeconds:0} s.");
            }

            Log.PeerFenced(logger, peerNode, peerId, outcome.Last, took.TotalSeconds);
            return new FenceResult(true, AwsFencingCodes.Stopped, $"{peerNode} ({peerId}) is {outcome.Last} after {took.TotalSeconds:0.0} s.");
        }
        catch (AwsCallException ex)
        {
            return new FenceResult(false, ex.Kind == AwsFailureKind.Timeout ? AwsFencingCodes.Timeout : AwsFencingCodes.ApiFailed, ex.Message);
        }
    }

    private async Task<string> StateAsync(string instanceId, CancellationToken cancellationToken)
    {
        var response = await _aws.RunAsync(ct => ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId] }, ct), cancellationToken).ConfigureAwait(false);
        return response.Reservations?.SelectMany(r => r.Instances ?? []).FirstOrDefault(i => i.InstanceId == instanceId)?.State?.Name?.Value
            ?? throw new AwsCallException(AwsFailureKind.Definite, "InvalidInstanceID.NotFound", $"The instance ID '{instanceId}' does not exist", null);
    }
}
