using System.Collections.Concurrent;
using ClusterPro.Failover;

namespace ClusterPro.TestSupport;

/// <summary>
/// Wraps a node's heartbeat transport (real UDP in the loop tests) and counts heartbeats sent to each node and
/// processed by it: the receive loop asks for the next packet only after processing the last, so a node has processed
/// everything sent to it when its count of requests, less the one it waits on, reaches the count sent. Links can be cut.
/// </summary>
public sealed class CountingHeartbeatTransport : IHeartbeatTransport
{
    private readonly IHeartbeatTransport _inner;
    private readonly string _self;
    private readonly HeartbeatLedger _ledger;
    private long _receives;

    /// <summary>Wraps <paramref name="inner"/>, the transport of <paramref name="self"/>.</summary>
    /// <param name="inner">The real transport.</param>
    /// <param name="self">Its node.</param>
    /// <param name="ledger">The counts shared by every node of the cluster.</param>
    public CountingHeartbeatTransport(IHeartbeatTransport inner, string self, HeartbeatLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        _inner = inner;
        _self = self;
        _ledger = ledger;
        ledger.Reset(self);
    }

    /// <summary>The node is down: it sends nothing and is not waited for.</summary>
    public bool Down { get; set; }

    /// <summary>Heartbeats this node has processed.</summary>
    public long Processed => Math.Max(0, Interlocked.Read(ref _receives) - 1);

    /// <inheritdoc />
    public async Task SendAsync(string peer, ReadOnlyMemory<byte> packet, CancellationToken cancellationToken = default)
    {
        if (Down || _ledger.IsCut(_self, peer))
        {
            return;
        }

        _ledger.Sent(peer);
        await _inner.SendAsync(peer, packet, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<ReadOnlyMemory<byte>> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _receives);
        return _inner.ReceiveAsync(cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Down = true;
        return _inner.DisposeAsync();
    }

    /// <summary>Whether this node has processed every heartbeat sent to it.</summary>
    /// <returns>True when settled.</returns>
    public bool Settled() => Down || Processed >= _ledger.SentTo(_self);

    /// <summary>What <see cref="Settled"/> looks at, for a test's failure message.</summary>
    /// <returns>The counts.</returns>
    public override string ToString() => $"{_self}: processed {Processed} of {_ledger.SentTo(_self)} sent to it{(Down ? "; down" : string.Empty)}";
}

/// <summary>Heartbeats sent to each node of a test cluster, and the links cut between them.</summary>
public sealed class HeartbeatLedger
{
    private readonly ConcurrentDictionary<string, long> _sentTo = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _cuts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Cuts the heartbeats between two nodes, both ways.</summary>
    /// <param name="a">One node.</param>
    /// <param name="b">The other.</param>
    public void Cut(string a, string b)
    {
        _cuts[$"{a}→{b}"] = true;
        _cuts[$"{b}→{a}"] = true;
    }

    internal bool IsCut(string from, string to) => _cuts.ContainsKey($"{from}→{to}");

    internal void Sent(string to) => _sentTo.AddOrUpdate(to, 1, (_, n) => n + 1);

    internal long SentTo(string node) => _sentTo.GetValueOrDefault(node);

    internal void Reset(string node) => _sentTo[node] = 0;
}
