using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace ClusterPro.Samples.ConsoleHost.Web;

/// <summary>
/// The web view's settings: <c>run --web-port P [--web-address A]</c> on the command line, the operator's token from
/// <c>ClusterPro:Web:Token</c> or <c>CLUSTERPRO_WEB_TOKEN</c> (without one the page is read-only).
/// </summary>
internal sealed class WebOptions
{
    /// <summary>The configuration key of the operator's token.</summary>
    public const string TokenSetting = "ClusterPro:Web:Token";

    /// <summary>The environment variable of the operator's token (when the configuration has none).</summary>
    public const string TokenVariable = "CLUSTERPRO_WEB_TOKEN";

    /// <summary>The address served when none is given: this machine only.</summary>
    public const string DefaultAddress = "localhost";

    /// <summary>The shortest token accepted: a guessable token is no protection.</summary>
    public const int MinimumTokenLength = 16;

    private readonly byte[]? _tokenHash;

    private WebOptions(int port, string address, byte[]? tokenHash)
    {
        Port = port;
        Address = address;
        _tokenHash = tokenHash;
    }

    /// <summary>The TCP port.</summary>
    public int Port { get; }

    /// <summary>The address: <c>localhost</c>, an IP address of this machine, or <c>*</c> for every interface.</summary>
    public string Address { get; }

    /// <summary>Whether an operator's token is configured (operations are possible).</summary>
    public bool OperationsEnabled => _tokenHash is not null;

    /// <summary>
    /// The listener's prefixes. The listener answers only requests whose <c>Host</c> names one of them (another name gets
    /// 404), which keeps a page on another site from reaching a localhost view through a DNS name of its own.
    /// </summary>
    public IReadOnlyList<string> Prefixes => Address switch
    {
        "localhost" => [$"http://127.0.0.1:{Port}/", $"http://localhost:{Port}/"],
        "*" => [$"http://*:{Port}/"],
        _ when IPAddress.Parse(Address) is { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } v6 => [$"http://[{v6}]:{Port}/"],
        _ => [$"http://{Address}:{Port}/"],
    };

    /// <summary>The page's address, for the log.</summary>
    public string Url => Address == "*" ? $"http://{Environment.MachineName}:{Port}/ (every interface)" : Prefixes[^1];

    /// <summary>Reads the settings; every mistake is a usage error naming the setting and the fix.</summary>
    /// <param name="port">The port (<c>--web-port</c>).</param>
    /// <param name="address">The address (<c>--web-address</c>), or <see langword="null"/> for localhost.</param>
    /// <param name="configuration">The node's configuration (the token).</param>
    /// <param name="environment">Reads an environment variable; the process's environment when <see langword="null"/>.</param>
    /// <returns>The settings.</returns>
    public static WebOptions From(int port, string? address, IConfiguration configuration, Func<string, string?>? environment = null)
    {
        address = string.IsNullOrWhiteSpace(address) ? DefaultAddress : address.Trim();
        if (address is "0.0.0.0" or "::" or "+")
        {
            address = "*";
        }

        if (address is not ("localhost" or "*") && !IPAddress.TryParse(address, out _))
        {
            throw new UsageException($"--web-address {address} is not an address; give localhost (the default), an IP address of this machine, or * for every interface.");
        }

        var token = configuration[TokenSetting];
        if (string.IsNullOrEmpty(token))
        {
            token = (environment ?? Environment.GetEnvironmentVariable)(TokenVariable);
        }

        if (!string.IsNullOrEmpty(token) && token.Trim().Length < MinimumTokenLength)
        {
            // The token itself is never printed.
            throw new UsageException($"The web view's token ({TokenSetting} or {TokenVariable}) has fewer than {MinimumTokenLength} characters; use a long random one, e.g. `openssl rand -hex 24`.");
        }

        return new WebOptions(port, address, string.IsNullOrEmpty(token) ? null : Hash(token.Trim()));
    }

    /// <summary>
    /// Whether an <c>Authorization</c> header carries the operator's token (<c>Bearer TOKEN</c>). Both sides are hashed
    /// first and compared in constant time, so neither the token's content nor its length leaks through timing.
    /// </summary>
    /// <param name="authorization">The header, or <see langword="null"/>.</param>
    /// <returns>True when a token is configured and the header carries it.</returns>
    public bool Authorizes(string? authorization)
    {
        const string Scheme = "Bearer ";
        if (_tokenHash is null || authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Hash(authorization[Scheme.Length..].Trim()), _tokenHash);
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
