using System.Text;
using ClusterPro.Failover;

namespace ClusterPro.Core.Tests.Failover;

public class HeartbeatTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("a-shared-secret-of-32-characters");
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-28T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static FailoverCore Core() => new(
        new FailoverCoreSettings
        {
            Self = "node2",
            Nodes = ["node1", "node2"],
            Groups = [new CoreGroupSettings("failover1", ["node1", "node2"])],
            HeartbeatTimeout = TimeSpan.FromSeconds(4),
            MaxClockSkew = TimeSpan.FromSeconds(30),
        },
        incarnation: 42,
        At(0));

    private static CoreTime At(double seconds, double clockOffset = 0) => new(TimeSpan.FromSeconds(seconds), Start.AddSeconds(seconds + clockOffset));

    private static HeartbeatMessage Beat(long seq, long incarnation = 1, string node = "node1", double sentAt = 0) =>
        new(node, incarnation, seq, Start.AddSeconds(sentAt).ToUnixTimeMilliseconds(), NodeMode.Running, false, [], []);

    [Fact]
    public void Codec_RoundTrips_WithTheSameKey()
    {
        var beat = Beat(7) with { Sees = [new PeerSighting("node3", 120, 9)], Claims = [new GroupClaim("failover1", 3, "node1", 1, GroupClaimState.Active, 5)] };

        HeartbeatCodec.TryDecode(HeartbeatCodec.Encode(beat, Key), Key, out var decoded).Should().BeTrue();

        decoded.Should().BeEquivalentTo(beat);
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
    public void Receive_Replay_IsDroppedAndCounted_ANewIncarnationIsNot()
    {
        var core = Core();

        core.Receive(At(1), Beat(5, sentAt: 1)).Should().Be(HeartbeatRejection.None);
        core.Receive(At(1.1), Beat(5, sentAt: 1)).Should().Be(HeartbeatRejection.Replayed);
        core.Receive(At(1.2), Beat(4, sentAt: 1)).Should().Be(HeartbeatRejection.Replayed);
        core.Receive(At(2), Beat(1, incarnation: 2, sentAt: 2)).Should().Be(HeartbeatRejection.None, "a restarted node starts a new sequence");
        core.Receive(At(2.1), Beat(9, incarnation: 1, sentAt: 2)).Should().Be(HeartbeatRejection.Replayed, "the previous run is over");

        core.GetView().DroppedHeartbeats[HeartbeatRejection.Replayed].Should().Be(3);
    }

    [Fact]
    public void Receive_ARestartAfterTheClockSteppedBack_IsAccepted()
    {
        // Incarnations are random, not the start time: a node restarted with its clock 10 s behind is still new.
        var core = Core();
        core.Receive(At(100), Beat(50, incarnation: 777, sentAt: 100)).Should().Be(HeartbeatRejection.None);

        core.Receive(At(101), Beat(1, incarnation: 12, sentAt: 91)).Should().Be(HeartbeatRejection.None);

        core.GetView().Peer("node1")!.State.Should().Be(PeerState.Up);
    }

    [Fact]
    public void Receive_AHeldBackPacketOfTheRunBefore_RightAfterTheNewRun_IsDroppedNotTakenForARestart()
    {
        // A receiver that just started hears the peer's new run first, then a late packet of its previous run: the
        // previous run has sent more heartbeats (it ran longer), so it is not a restart.
        var core = Core();
        core.Receive(At(100), Beat(2, incarnation: 12, sentAt: 100)).Should().Be(HeartbeatRejection.None);

        core.Receive(At(100.3), Beat(80, incarnation: 777, sentAt: 98)).Should().Be(HeartbeatRejection.Replayed);
        core.Receive(At(100.5), Beat(3, incarnation: 12, sentAt: 100.5)).Should().Be(HeartbeatRejection.None);

        core.GetView().Peer("node1")!.State.Should().Be(PeerState.Up);
    }

    [Fact]
    public void Receive_BeyondMaxClockSkew_IsDropped_SoOldCapturesCannotBeReplayedToARestartedReceiver()
    {
        var restarted = Core();

        restarted.Receive(At(100), Beat(3, sentAt: 100 - 31)).Should().Be(HeartbeatRejection.ClockSkew, "a packet captured 31 s ago");
        restarted.Receive(At(100), Beat(3, sentAt: 100 + 31)).Should().Be(HeartbeatRejection.ClockSkew, "a sender whose clock runs 31 s ahead");
        restarted.Receive(At(100), Beat(3, sentAt: 100 - 29)).Should().Be(HeartbeatRejection.None);
    }

    [Fact]
    public void Receive_UnknownOrSelf_IsDropped()
    {
        var core = Core();

        core.Receive(At(1), Beat(1, node: "node9", sentAt: 1)).Should().Be(HeartbeatRejection.UnknownNode);
        core.Receive(At(1), Beat(1, node: "node2", sentAt: 1)).Should().Be(HeartbeatRejection.UnknownNode);
    }

    [Fact]
    public void PeerState_FollowsLocalSilence()
    {
        var core = Core();
        core.GetView().Peer("node1")!.State.Should().Be(PeerState.Unknown);

        core.Receive(At(1), Beat(1, sentAt: 1));
        core.Tick(At(2));
        core.GetView().Peer("node1")!.State.Should().Be(PeerState.Up);

        core.Tick(At(4));
        core.GetView().Peer("node1")!.State.Should().Be(PeerState.Suspect);

        core.Tick(At(5.5));
        core.GetView().Peer("node1")!.State.Should().Be(PeerState.Down);
        core.TakeEffects().OfType<EventEffect>().Should().Contain(e => e.Kind == FailoverEventKind.HeartbeatLost && e.Subject == "node1");
    }

    [Fact]
    public void HeartbeatKey_TooShort_NamesTheSettingAndTheFix()
    {
        var act = () => new HeartbeatOptions { Key = "short" }.ResolveKey();

        act.Should().Throw<InvalidOperationException>().WithMessage("ClusterPro:Heartbeat:Key is shorter than 16 characters*at least 16 characters*");
    }
}
