using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ClusterPro.Aws.Host;

/// <summary>
/// Linux: manages addresses with iproute2's <c>ip</c> command (<c>ip addr add|del A/N dev IF</c>), optionally inside a
/// network namespace (<c>ip -n NS …</c>). Needs CAP_NET_ADMIN (root).
/// </summary>
public sealed class LinuxHostAddressManager : IHostAddressManager
{
    private readonly string _ip;
    private readonly string? _namespace;

    /// <summary>Creates the manager.</summary>
    /// <param name="networkNamespace">A network namespace to act in, or null for the current one.</param>
    /// <param name="ipCommand">The <c>ip</c> executable. <value>Default: <c>ip</c> from PATH.</value></param>
    public LinuxHostAddressManager(string? networkNamespace = null, string ipCommand = "ip")
    {
        _namespace = networkNamespace;
        _ip = ipCommand;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IPAddress>> ListAsync(string interfaceName, CancellationToken cancellationToken = default)
    {
        var output = await RunAsync(["-4", "-o", "addr", "show", "dev", interfaceName], cancellationToken).ConfigureAwait(false);
        var result = new List<IPAddress>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var at = Array.IndexOf(parts, "inet");
            if (at >= 0 && at + 1 < parts.Length && IPAddress.TryParse(parts[at + 1].Split('/')[0], out var address))
            {
                result.Add(address);
            }
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<bool> AddAsync(string interfaceName, IPAddress address, int prefixLength, CancellationToken cancellationToken = default)
    {
        Check(address);
        if ((await ListAsync(interfaceName, cancellationToken).ConfigureAwait(false)).Contains(address))
        {
            return false;
        }

        await RunAsync(["addr", "add", $"{address}/{prefixLength}", "dev", interfaceName], cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> RemoveAsync(string interfaceName, IPAddress address, int prefixLength, CancellationToken cancellationToken = default)
    {
        Check(address);
        if (!(await ListAsync(interfaceName, cancellationToken).ConfigureAwait(false)).Contains(address))
        {
            return false;
        }

        await RunAsync(["addr", "del", $"{address}/{prefixLength}", "dev", interfaceName], cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static void Check(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"{address} is not an IPv4 address.", nameof(address));
        }
    }

    private async Task<string> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(_ip) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (_namespace is not null)
        {
            info.ArgumentList.Add("-n");
            info.ArgumentList.Add(_namespace);
        }

        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start '{_ip}'.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{_ip} {string.Join(' ', info.ArgumentList)}' failed with exit code {process.ExitCode}: {(await stderr.ConfigureAwait(false)).Trim()}");
        }

        return await stdout.ConfigureAwait(false);
    }
}
