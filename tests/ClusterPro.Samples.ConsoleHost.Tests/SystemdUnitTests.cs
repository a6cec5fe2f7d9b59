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
    [InlineData("CapabilityBoundingSet", "CAP_NET_ADMIN CAP_NET_RAW")]
    [InlineData("AmbientCapabilities", "CAP_NET_ADMIN CAP_NET_RAW")]
    [InlineData("SyslogIdentifier", "clusterpro")]
    [InlineData("User", "clusterpro")]
    [InlineData("Group", "clusterpro")]
    [InlineData("StateDirectory", "clusterpro")]
    [InlineData("RuntimeDirectory", "clusterpro")]
    public void Unit_HasTheDirective(string key, string value) =>
        Unit.Should().ContainKey(key).WhoseValue.Should().Be(value);

    [Fact]
    public void Unit_StopTimeout_CoversThePlannedStopAndTheHostsMargin()
    {
        var timeoutStop = TimeSpan.FromSeconds(int.Parse(Unit["TimeoutStopSec"], System.Globalization.CultureInfo.InvariantCulture));

        timeoutStop.Should().BeGreaterThan(new FailoverManagerOptions().StopTimeout + TimeSpan.FromSeconds(10), "systemd must not SIGKILL a node that is still moving its groups");
        Unit["RestrictAddressFamilies"].Split(' ').Should().Contain(["AF_INET", "AF_NETLINK"], "UDP heartbeats, AWS calls and ip addr (netlink)");
        Unit["ExecStart"].Should().Contain(" run --config /etc/clusterpro/cluster.json");
        Unit["RestrictAddressFamilies"].Split(' ').Should().Contain("AF_UNIX", "the final actions call systemd-logind over the system D-Bus");
    }

    [Fact]
    public void Unit_Documentation_IsAFileOfThePublishOutput()
    {
        var documentation = Unit["Documentation"];

        documentation.Should().StartWith("file:///opt/clusterpro/", "where the unit says the host is published");
        File.Exists(Path.Combine(AppContext.BaseDirectory, documentation["file:///opt/clusterpro/".Length..])).Should().BeTrue();
    }

    [Fact]
    public void SysusersEntry_CreatesTheUnitsUser_WithTheStateDirectoryAsHome()
    {
        var entry = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "clusterpro.sysusers.conf")).Single(l => l.StartsWith("u ", StringComparison.Ordinal));

        entry.Split(' ')[1].Should().Be(Unit["User"]);
        entry.Should().Contain("/var/lib/" + Unit["StateDirectory"]);
    }

    [Fact]
    public void PolkitRule_LetsTheUnitsUserPowerOffAndReboot_Only()
    {
        var rule = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "clusterpro-polkit.rules"));

        rule.Should().Contain($"subject.user == \"{Unit["User"]}\"").And.Contain("\"org.freedesktop.login1.power-off\"").And.Contain("\"org.freedesktop.login1.reboot\"");
        rule.Should().NotContain("org.freedesktop.systemd1", "nothing but power-off and reboot");
    }
}
