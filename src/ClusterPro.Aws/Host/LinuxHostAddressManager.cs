using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace ClusterPro.Aws.Host;

/// <summary>
/// Linux: manages addresses with iproute2's <c>ip</c> command (<c>ip addr add|del A/N dev IF</c>), optionally inside a
/// network namespace (<c>ip -n NS …</c>). Needs CAP_NET_ADMIN (root). The command is an absolute path fixed when the
/// manager is made (the system's <c>/usr/sbin/ip</c>, <c>/sbin/ip</c>, <c>/usr/bin/ip</c> or <c>/bin/ip</c>), never
/// looked up on PATH, so a writable PATH entry cannot substitute another program.
/// </summary>
public sealed partial class LinuxHostAddressManager : IHostAddressManager
{
    /// <summary>Where iproute2's <c>ip</c> is looked for, in order.</summary>
    public static readonly IReadOnlyList<string> SystemIpPaths = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"];

    private readonly string _ip;
    private readonly string? _namespace;

    /// <summary>Creates the manager.</summary>
    /// <param name="networkNamespace">A network namespace to act in (a name as <c>ip netns</c> shows it), or null for the current one.</param>
    /// <param name="ipCommand">The absolute path of the <c>ip</c> executable. <value>Default: the first of <see cref="SystemIpPaths"/> that exists.</value></param>
    /// <exception cref="ArgumentException">The namespace name or the command path is malformed.</exception>
    public LinuxHostAddressManager(string? networkNamespace = null, string? ipCommand = null)
    {
        if (networkNamespace is not null && NamespaceProblem(networkNamespace) is { } problem)
        {
            throw new ArgumentException($"The network namespace name '{networkNamespace}' {problem}", nameof(networkNamespace));
        }

        if (ipCommand is not null && !Path.IsPathFullyQualified(ipCommand))
        {
            throw new ArgumentException($"The ip command '{ipCommand}' is not an absolute path; give one such as /usr/sbin/ip.", nameof(ipCommand));
        }

        _namespace = networkNamespace;
        _ip = ipCommand ?? SystemIpPaths.FirstOrDefault(File.Exists) ?? SystemIpPaths[0];
    }

    /// <summary>The <c>ip</c> executable this manager runs.</summary>
    public string IpCommand => _ip;

    /// <summary>Why a network namespace name is unusable, or null when it is fine (what <c>ip netns</c> accepts: a file name under <c>/run/netns</c>).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The problem, ending with the fix.</returns>
    public static string? NamespaceProblem(string? name) =>
        string.IsNullOrEmpty(name) ? "is empty; give the name ip netns list shows, or leave it unset for the current namespace."
        : name is "." or ".." || !NamespacePattern().IsMatch(name) ? "is not a namespace name; use 1 to 64 letters, digits, '.', '_' or '-' (no '/'), as ip netns list shows it."
        : null;

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

        if (!File.Exists(_ip))
        {
            throw new InvalidOperationException($"iproute2's ip command is not at {_ip}; install iproute2, or use the 'none' host address manager when the OS addresses are managed elsewhere.");
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

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamespacePattern();
}
