using System.Collections.Concurrent;
using ClusterPro.Failover;

namespace ClusterPro.TestSupport;

/// <summary>Heartbeat links between in-process nodes; a cut link drops packets both ways. Tests deliver packets with <see cref="Drain"/>.</summary>
public sealed class InMemoryHeartbeatNetwork
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> _inboxes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string, string), bool> _cut = new();

    /// <summary>Adds a node and returns its transport.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The transport.</returns>
    public IHeartbeatTransport Join(string node)
    {
        _inboxes[node] = new ConcurrentQueue<byte[]>();
        return new Transport(this, node);
    }

    /// <summary>Removes a node (its queued packets are dropped).</summary>
    /// <param name="node">The node.</param>
    public void Leave(string node) => _inboxes.TryRemove(node, out _);

    /// <summary>Cuts the link between two nodes, both ways.</summary>
    /// <param name="a">One node.</param>
    /// <param name="b">The other.</param>
    public void Cut(string a, string b)
    {
        _cut[(a, b)] = true;
        _cut[(b, a)] = true;
    }

    /// <summary>Takes the packets queued for a node.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The packets.</returns>
    public IEnumerable<byte[]> Drain(string node)
    {
        while (_inboxes.TryGetValue(node, out var inbox) && inbox.TryDequeue(out var packet))
        {
            yield return packet;
        }
    }

    private sealed class Transport(InMemoryHeartbeatNetwork network, string self) : IHeartbeatTransport
    {
        public Task SendAsync(string peer, ReadOnlyMemory<byte> packet, CancellationToken cancellationToken = default)
        {
            if (!network._cut.ContainsKey((self, peer)) && network._inboxes.TryGetValue(peer, out var inbox))
            {
                inbox.Enqueue(packet.ToArray());
            }

            return Task.CompletedTask;
        }

        public Task<ReadOnlyMemory<byte>> ReceiveAsync(CancellationToken cancellationToken = default) =>
            Task.FromException<ReadOnlyMemory<byte>>(new NotSupportedException("In-memory heartbeats are delivered by the test with InMemoryHeartbeatNetwork.Drain."));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
