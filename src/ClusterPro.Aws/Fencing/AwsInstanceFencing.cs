using Amazon.EC2;
using Amazon.EC2.Model;
using ClusterPro.Aws.Internal;
using ClusterPro.Failover;
using ClusterPro.Resources;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Aws.Fencing;

/// <summary>AWS forced stop (fencing): EC2 StopInstances with Force on the peer's instance.</summary>
public sealed class AwsFencingOptions : AwsResourceOptions
{
    /// <summary>Each node's EC2 instance ID (<c>i-…</c>).</summary>
    public PerNode<string> InstanceId { get; set; } = new();

    /// <summary>The longest wait for the peer to reach <c>stopped</c>. <value>Default: 120 s.</value></summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>The first poll interval while waiting (doubling up to 10 s, so polling does not trip API throttling). <value>Default: 1 s.</value></summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>Result codes of AWS fencing.</summary>
public static class AwsFencingCodes
{
    /// <summary>The peer is stopped.</summary>
    public const int Stopped = 0;

    /// <summary>An AWS call failed (its message says why).</summary>
    public const int ApiFailed = 50;

    /// <summary>The peer did not reach <c>stopped</c> in time.</summary>
    public const int Timeout = 51;

    /// <summary>This node's own instance is not running, so it must not fence (fence_aws's race check).</summary>
    public const int OwnInstanceNotRunning = 52;
}

/// <summary>
/// Fences a peer: checks that this node's own instance is running (else does nothing, as fence_aws does), then
/// StopInstances with Force on the peer's instance, then polls DescribeInstances with backing-off intervals until it is
/// <c>stopped</c>, bounded by <see cref="AwsFencingOptions.StopTimeout"/>. A failure is reported as such, never as
/// "not running".
/// </summary>
internal sealed class AwsInstanceFencing(AwsFencingOptions options, IAmazonEC2 ec2, TimeProvider time, ILogger<AwsInstanceFencing> logger) : IFencingAgent
{
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

            await Call(ct => ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [peerId], Force = true }, ct), cancellationToken).ConfigureAwait(false);
            var interval = options.PollInterval;
            while (true)
            {
                var state = await StateAsync(peerId, cancellationToken).ConfigureAwait(false);
                if (state is "stopped" or "terminated")
                {
                    var took = time.GetElapsedTime(started);
                    Log.HostAddressChanged(logger, "fencing", $"{peerNode} ({peerId}) is {state} after {took.TotalSeconds:0.0} s");
                    return new FenceResult(true, AwsFencingCodes.Stopped, $"{peerNode} ({peerId}) is {state} after {took.TotalSeconds:0.0} s.");
                }

                var left = options.StopTimeout - time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    return new FenceResult(false, AwsFencingCodes.Timeout, $"{AwsResultCodes.TimeoutOccurred} {peerNode} ({peerId}) is still {state} after {options.StopTimeout.TotalSeconds:0} s.");
                }

                await Task.Delay(interval < left ? interval : left, time, cancellationToken).ConfigureAwait(false);
                interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
        catch (AwsCallException ex)
        {
            return new FenceResult(false, ex.Kind == AwsFailureKind.Timeout ? AwsFencingCodes.Timeout : AwsFencingCodes.ApiFailed, ex.Message);
        }
    }

    private async Task<string> StateAsync(string instanceId, CancellationToken cancellationToken)
    {
        var response = await Call(ct => ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId] }, ct), cancellationToken).ConfigureAwait(false);
        return response.Reservations?.SelectMany(r => r.Instances ?? []).FirstOrDefault(i => i.InstanceId == instanceId)?.State?.Name?.Value
            ?? throw new AwsCallException(AwsFailureKind.Definite, "InvalidInstanceID.NotFound", $"The instance ID '{instanceId}' does not exist", null);
    }

    private Task<T> Call<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        AwsCall.RunAsync(call, options.AwsCallTimeout, time, cancellationToken);
}
