using System.Text;
using ClusterPro.Failover;
using Microsoft.Extensions.Time.Testing;

namespace ClusterPro.Core.Tests.Failover;

public class HeartbeatTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("a-shared-secret-of-32-characters");
    private readonly FakeTimeProvider _time = new();

    private Membership Membership() => new("node2", ["node1", "node2"], new HeartbeatOptions { Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(4) }, _time);

    private static HeartbeatMessage Beat(long seq, long incarnation = 1, string node = "node1") => new(node, incarnation, seq, ["failover1"], []);

    [Fact]
    public void Codec_RoundTrips_WithTheSameKey()
    {
        var packet = HeartbeatCodec.Encode(Beat(7), Key);

        HeartbeatCodec.TryDecode(packet, Key, out var decoded).Should().BeTrue();

        decoded.Should().BeEquivalentTo(Beat(7));
    }

    [Fact]
    public void Codec_WrongKey_IsRejected() =>
        HeartbeatCodec.TryDecode(HeartbeatCodec.Encode(Beat(1), Encoding.UTF8.GetBytes("another-secret-of-32-characters!")), Key, out _).Should().BeFalse();

    [Fact]
    public void Codec_ForgedPayload_IsRejected()
    {
        var packet = HeartbeatCodec.Encode(Beat(1), Key);
        var forged = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(packet.AsSpan(0, packet.Length - 32)).Replace("node1", "node9", StringComparison.Ordinal));

        HeartbeatCodec.TryDecode([.. forged, .. packet.AsSpan(packet.Length - 32)], Key, out _).Should().BeFalse();
    }

    [Fact]
    public void Membership_Replay_IsDroppedAndCounted_ANewIncarnationIsNot()
    {
        var m = Membership();

        m.Accept(Beat(5)).Should().Be(HeartbeatRejection.None);
        m.Accept(Beat(5)).Should().Be(HeartbeatRejection.Replayed);
        m.Accept(Beat(4)).Should().Be(HeartbeatRejection.Replayed);
        m.Accept(Beat(1, incarnation: 2)).Should().Be(HeartbeatRejection.None, "a restarted node starts a new sequence");
        m.Accept(Beat(9, incarnation: 1)).Should().Be(HeartbeatRejection.Replayed, "an old incarnation is a replay");

        m.Replayed.Should().Be(3);
    }

    [Fact]
    public void Membership_UnknownOrSelf_IsDropped()
    {
        var m = Membership();

        m.Accept(Beat(1, node: "node9")).Should().Be(HeartbeatRejection.UnknownNode);
        m.Accept(Beat(1, node: "node2")).Should().Be(HeartbeatRejection.UnknownNode);
    }

    [Fact]
    public void Membership_States_FollowLocalSilence()
    {
        var m = Membership();
        m.State("node1").Should().Be(PeerState.Unknown);
        m.Accept(Beat(1));

        m.State("node1").Should().Be(PeerState.Up);
        _time.Advance(TimeSpan.FromSeconds(3));
        m.State("node1").Should().Be(PeerState.Suspect);
        m.Alive.Should().Equal("node1");
        _time.Advance(TimeSpan.FromSeconds(2));
        m.State("node1").Should().Be(PeerState.Down);
        m.Alive.Should().BeEmpty();
    }

    [Fact]
    public void ResolveKey_Missing_NamesTheSettingAndTheVariable()
    {
        var act = () => new HeartbeatOptions { Key = "short" }.ResolveKey();

        act.Should().Throw<InvalidOperationException>().WithMessage("ClusterPro:Heartbeat:Key is shorter than 16 characters; set a shared secret*CLUSTERPRO_HEARTBEAT_KEY*");
    }
}
