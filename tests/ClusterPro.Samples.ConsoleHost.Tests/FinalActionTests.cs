using System.Diagnostics;
using System.Text.Json.Nodes;
using ClusterPro.Failover;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Tmds.DBus.Protocol;

namespace ClusterPro.Samples.ConsoleHost.Tests;

/// <summary>
/// <c>run</c>'s final actions act: ShutdownOs powers the machine off and RebootOs reboots it through systemd-logind
/// (<c>org.freedesktop.login1.Manager.PowerOff / Reboot</c> on the system D-Bus); StopClusterService leaves the OS alone.
/// </summary>
public sealed class FinalActionTests
{
    private static FinalActionRequest Request(FinalAction action) => new(action, "awsazw1", "node1", null, "the zone is impaired");

    [Theory]
    [InlineData(FinalAction.StopClusterServiceAndShutdownOs, "PowerOff")]
    [InlineData(FinalAction.StopClusterServiceAndRebootOs, "Reboot")]
    [InlineData(FinalAction.StopClusterService, null)]
    public async Task Handler_AsksTheOsForWhatTheActionSays(FinalAction action, string? expected)
    {
        var power = new FakePower();
        var handler = new SystemdFinalActionHandler(power, NullLogger<SystemdFinalActionHandler>.Instance);

        await handler.ExecuteAsync(Request(action));

        power.Calls.Should().Equal(expected is null ? [] : [expected]);
    }

    [Fact]
    public async Task Handler_OsCannotBeAsked_DoesNotThrow()
    {
        var handler = new SystemdFinalActionHandler(new LogindPower("unix:path=/nonexistent/clusterpro-no-bus"), NullLogger<SystemdFinalActionHandler>.Instance);

        var act = () => handler.ExecuteAsync(Request(FinalAction.StopClusterServiceAndShutdownOs));

        await act.Should().NotThrowAsync("the node has left the cluster either way; the failure is logged at Critical");
    }

    [Fact]
    public async Task RunsHost_GivesTheFailoverManagerTheSystemdHandler()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "cluster.canonical.json")))!;
        json["ClusterPro"]!["Heartbeat"]!["Key"] = "a-shared-secret-of-32-characters";
        var config = Path.Combine(Path.GetTempPath(), $"clusterpro-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, json.ToJsonString());
        var power = new FakePower();
        try
        {
            using var host = NodeHost.Build(config, "node1", power: power);
            var handler = host.Services.GetRequiredService<IFinalActionHandler>();

            handler.Should().BeOfType<SystemdFinalActionHandler>();
            await handler.ExecuteAsync(Request(FinalAction.StopClusterServiceAndShutdownOs));
            power.Calls.Should().Equal("PowerOff");
        }
        finally
        {
            File.Delete(config);
        }
    }

    [SkippableFact]
    public async Task LogindPower_CallsLogindsPowerOffAndReboot_OverDBus_NonInteractive()
    {
        Skip.IfNot(File.Exists("/usr/bin/dbus-daemon"), "dbus-daemon is not installed (Debian package dbus-daemon)");
        using var daemon = Process.Start(new ProcessStartInfo("/usr/bin/dbus-daemon", ["--session", "--nofork", "--print-address=1"]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        try
        {
            var address = (await daemon.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)))!.Trim();
            using var logind = new DBusConnection(address);
            await logind.ConnectAsync();
            var fake = new FakeLogind();
            logind.AddMethodHandler(fake);
            await logind.RequestNameAsync(LogindPower.Service);

            await new LogindPower(address).PowerOffAsync();
            await new LogindPower(address).RebootAsync();

            fake.Calls.Should().Equal("org.freedesktop.login1.Manager.PowerOff(false)", "org.freedesktop.login1.Manager.Reboot(false)");
        }
        finally
        {
            daemon.Kill();
            await daemon.WaitForExitAsync();
        }
    }

    private sealed class FakePower : IOsPower
    {
        public List<string> Calls { get; } = [];

        public string Via => "a fake";

        public Task PowerOffAsync(CancellationToken cancellationToken = default)
        {
            Calls.Add("PowerOff");
            return Task.CompletedTask;
        }

        public Task RebootAsync(CancellationToken cancellationToken = default)
        {
            Calls.Add("Reboot");
            return Task.CompletedTask;
        }
    }

    /// <summary>logind as the bus sees it: the object path, the manager interface, a boolean argument, an empty reply.</summary>
    private sealed class FakeLogind : IPathMethodHandler
    {
        public List<string> Calls { get; } = [];

        public string Path => LogindPower.ObjectPath;

        public bool HandlesChildPaths => false;

        public ValueTask HandleMethodAsync(MethodContext context)
        {
            var request = context.Request;
            var interactive = request.GetBodyReader().ReadBool();
            lock (Calls)
            {
                Calls.Add($"{request.InterfaceAsString}.{request.MemberAsString}({(interactive ? "true" : "false")})");
            }

            using var writer = context.CreateReplyWriter(null);
            context.Reply(writer.CreateMessage());
            return ValueTask.CompletedTask;
        }
    }
}
