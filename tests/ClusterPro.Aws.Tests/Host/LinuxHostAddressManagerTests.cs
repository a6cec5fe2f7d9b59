using System.Diagnostics;
using System.Net;
using ClusterPro.Aws.Host;

namespace ClusterPro.Aws.Tests.Host;

/// <summary>The Linux manager against a real network namespace with a veth interface the test creates and removes (with the namespace).</summary>
public sealed class LinuxHostAddressManagerTests : IDisposable
{
    private readonly string _ns = "cpro-test-" + Guid.NewGuid().ToString("N")[..8];
    private bool _created;

    public void Dispose()
    {
        if (_created)
        {
            Run("ip", "netns", "del", _ns);
        }
    }

    [SkippableFact]
    public async Task AddListRemove_InANetworkNamespace_ChangesTheRealInterface()
    {
        SkipUnlessNetnsWorks();
        var manager = new LinuxHostAddressManager(_ns);
        var vip = IPAddress.Parse("10.1.0.20");

        var added = await manager.AddAsync("vip0", vip, 32);
        var again = await manager.AddAsync("vip0", vip, 32);
        var listed = await manager.ListAsync("vip0");
        var shown = Run("ip", "-n", _ns, "-4", "addr", "show", "dev", "vip0").Output;
        var removed = await manager.RemoveAsync("vip0", vip, 32);
        var removedAgain = await manager.RemoveAsync("vip0", vip, 32);

        added.Should().BeTrue();
        again.Should().BeFalse("adding is idempotent");
        listed.Should().Contain(vip);
        shown.Should().Contain("inet 10.1.0.20/32");
        removed.Should().BeTrue();
        removedAgain.Should().BeFalse();
        (await manager.ListAsync("vip0")).Should().NotContain(vip);
    }

    [SkippableFact]
    public async Task AddAsync_UnknownInterface_FailsWithTheCommandsMessage()
    {
        SkipUnlessNetnsWorks();
        var manager = new LinuxHostAddressManager(_ns);

        var act = () => manager.AddAsync("nosuch0", IPAddress.Parse("10.1.0.20"), 32);

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("nosuch0");
    }

    private void SkipUnlessNetnsWorks()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "The Linux host address manager needs Linux.");
        Skip.If(Environment.UserName != "root", "Creating a network namespace needs root; run the tests as root (CI does).");
        var (code, _, error) = Run("ip", "netns", "add", _ns);
        Skip.If(code != 0, $"'ip netns add' failed here ({error.Trim()}); install iproute2 (.ci/run does).");
        _created = true;
        var link = Run("ip", "-n", _ns, "link", "add", "vip0", "type", "veth", "peer", "name", "vip0p");
        Skip.If(link.Code != 0, $"A veth interface could not be created ({link.Error.Trim()}).");
        Run("ip", "-n", _ns, "link", "set", "vip0", "up");
    }

    private static (int Code, string Output, string Error) Run(string file, params string[] args)
    {
        try
        {
            var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args)
            {
                info.ArgumentList.Add(a);
            }

            using var p = Process.Start(info)!;
            var output = p.StandardOutput.ReadToEnd();
            var error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, output, error);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, string.Empty, ex.Message);
        }
    }
}
