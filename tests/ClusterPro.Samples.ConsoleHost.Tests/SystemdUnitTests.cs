using ClusterPro.Failover;

namespace ClusterPro.Samples.ConsoleHost.Tests;

/// <summary>The sample unit file: a notify service that stops with SIGTERM in time for the planned stop, with the usual hardening.</summary>
public class SystemdUnitTests
{
    private static readonly Dictionary<string, string> Unit = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "clusterpro-node.service"))
        .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#'))
        .Select(l => l.Split('=', 2))
        .GroupBy(p => p[0], StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);

    [Theory]
    [InlineData("Type", "notify")]
    [InlineData("KillSignal", "SIGTERM")]
    [InlineData("Restart", "on-failure")]
    [InlineData("RestartPreventExitStatus", "64 3")]
    [InlineData("NoNewPrivileges", "true")]
    [InlineData("ProtectSystem", "strict")]
    [InlineData("ProtectHome", "true")]
    [InlineData("PrivateTmp", "true")]
    [InlineData("CapabilityBoundingSet", "CAP_NET_ADMIN")]
    [InlineData("AmbientCapabilities", "CAP_NET_ADMIN")]
    public void Unit_HasTheDirective(string key, string value) =>
        Unit.Should().ContainKey(key).WhoseValue.Should().Be(value);

    [Fact]
    public void Unit_StopTimeout_CoversThePlannedStopAndTheHostsMargin()
    {
        var timeoutStop = TimeSpan.FromSeconds(int.Parse(Unit["TimeoutStopSec"], System.Globalization.CultureInfo.InvariantCulture));

        timeoutStop.Should().BeGreaterThan(new FailoverManagerOptions().StopTimeout + TimeSpan.FromSeconds(10), "systemd must not SIGKILL a node that is still moving its groups");
        Unit["RestrictAddressFamilies"].Split(' ').Should().Contain(["AF_INET", "AF_NETLINK"], "UDP heartbeats, AWS calls and ip addr (netlink)");
        Unit["ExecStart"].Should().Contain(" run --config ");
    }
}
