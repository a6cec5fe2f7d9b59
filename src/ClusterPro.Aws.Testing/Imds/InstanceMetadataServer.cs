using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ClusterPro.Aws.Testing.Ec2;
using ClusterPro.Aws.Testing.Faults;
using ClusterPro.Aws.Testing.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ClusterPro.Aws.Testing.Imds;

/// <summary>
/// IMDSv2 for one simulated instance on its own loopback endpoint: a token from <c>PUT /latest/api/token</c>,
/// then metadata reads with that token (401 without it). Faults with operation <c>IMDS</c> apply.
/// </summary>
internal sealed class InstanceMetadataServer : IAsyncDisposable
{
    private readonly EmulatorState _state;
    private readonly EmulatorFaults _faults;
    private readonly string _region;
    private readonly string _instanceId;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private WebApplication? _app;

    private InstanceMetadataServer(EmulatorState state, EmulatorFaults faults, string region, string instanceId, TimeProvider time)
    {
        _state = state;
        _faults = faults;
        _region = region;
        _instanceId = instanceId;
        _time = time;
    }

    public Uri Endpoint { get; private set; } = null!;

    public static async Task<InstanceMetadataServer> StartAsync(EmulatorState state, EmulatorFaults faults, string region, string instanceId, TimeProvider time, CancellationToken cancellationToken)
    {
        lock (state.Sync)
        {
            state.Region(region).Instance(instanceId);
        }

        var server = new InstanceMetadataServer(state, faults, region, instanceId, time);
        var (app, endpoint) = await KestrelHost.StartAsync(0, server.HandleAsync, cancellationToken).ConfigureAwait(false);
        server._app = app;
        server.Endpoint = endpoint;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var applied = _faults.Match("IMDS", [_instanceId]);
        foreach (var latency in applied.Latencies)
        {
            await Task.Delay(latency.Latency + _faults.NextJitter(latency.Jitter), TimeProvider.System, context.RequestAborted).ConfigureAwait(false);
        }

        switch (applied.Terminal?.Kind)
        {
            case FaultKind.Hang:
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, context.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }

                return;
            case FaultKind.ConnectionReset:
                context.Abort();
                return;
            case FaultKind.Deny:
                context.Response.StatusCode = applied.Terminal.Status ?? 403;
                return;
            case FaultKind.Error:
                context.Response.StatusCode = applied.Terminal.Status ?? 500;
                return;
        }

        var path = context.Request.Path.Value ?? "/";
        if (path == "/latest/api/token")
        {
            await IssueTokenAsync(context).ConfigureAwait(false);
            return;
        }

        if (!HasValidToken(context))
        {
            context.Response.StatusCode = 401;
            return;
        }

        var value = Lookup(path);
        if (value is null)
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = path.EndsWith("/document", StringComparison.Ordinal) ? "application/json" : "text/plain";
        await context.Response.WriteAsync(value, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task IssueTokenAsync(HttpContext context)
    {
        if (context.Request.Method != "PUT")
        {
            context.Response.StatusCode = 405;
            return;
        }

        if (!int.TryParse(context.Request.Headers["X-aws-ec2-metadata-token-ttl-seconds"].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ttl) || ttl < 1 || ttl > 21600)
        {
            context.Response.StatusCode = 400;
            return;
        }

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        lock (_tokens)
        {
            _tokens[token] = _time.GetUtcNow().AddSeconds(ttl);
        }

        context.Response.Headers["X-aws-ec2-metadata-token-ttl-seconds"] = ttl.ToString(CultureInfo.InvariantCulture);
        await context.Response.WriteAsync(token, context.RequestAborted).ConfigureAwait(false);
    }

    private bool HasValidToken(HttpContext context)
    {
        var token = context.Request.Headers["X-aws-ec2-metadata-token"].ToString();
        lock (_tokens)
        {
            return token.Length > 0 && _tokens.TryGetValue(token, out var expiry) && _time.GetUtcNow() < expiry;
        }
    }

    private string? Lookup(string path)
    {
        lock (_state.Sync)
        {
            var region = _state.Region(_region);
            var instance = region.Instance(_instanceId);
            var enis = region.Enis.Values.Where(e => e.InstanceId == instance.Id).OrderBy(e => e.DeviceIndex).ToList();
            var primary = region.Eni(instance.PrimaryEniId);
            const string macs = "/latest/meta-data/network/interfaces/macs/";
            if (path.StartsWith(macs, StringComparison.Ordinal) && path.Length > macs.Length)
            {
                var rest = path[macs.Length..].Split('/', 2);
                var eni = enis.FirstOrDefault(e => e.Mac == rest[0]);
                if (eni is null)
                {
                    return null;
                }

                return (rest.Length > 1 ? rest[1] : string.Empty) switch
                {
                    "" => "device-number\ninterface-id\nlocal-ipv4s\nmac\nsubnet-id\nvpc-id",
                    "interface-id" => eni.Id,
                    "local-ipv4s" => string.Join('\n', new[] { eni.PrimaryIp }.Concat(eni.SecondaryIps)),
                    "mac" => eni.Mac,
                    "subnet-id" => eni.SubnetId,
                    "vpc-id" => eni.VpcId,
                    "device-number" => eni.DeviceIndex.ToString(CultureInfo.InvariantCulture),
                    _ => null,
                };
            }

            return path switch
            {
                "/latest/meta-data/" or "/latest/meta-data" => "instance-id\nlocal-ipv4\nmac\nnetwork/\nplacement/",
                "/latest/meta-data/instance-id" => instance.Id,
                "/latest/meta-data/local-ipv4" => primary.PrimaryIp,
                "/latest/meta-data/mac" => primary.Mac,
                "/latest/meta-data/placement/availability-zone" => instance.Zone,
                "/latest/meta-data/placement/region" => _region,
                "/latest/meta-data/network/interfaces/macs" or macs => string.Join('\n', enis.Select(e => e.Mac + "/")),
                "/latest/dynamic/instance-identity/document" => JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["accountId"] = Ec2Handler.OwnerId,
                    ["availabilityZone"] = instance.Zone,
                    ["instanceId"] = instance.Id,
                    ["instanceType"] = instance.InstanceType,
                    ["imageId"] = instance.ImageId,
                    ["privateIp"] = primary.PrimaryIp,
                    ["region"] = _region,
                }),
                _ => null,
            };
        }
    }
}
