using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Samples.ConsoleHost.Web;

/// <summary>
/// The node's web view on <see cref="HttpListener"/> (in the base runtime: no web framework in the tool). It serves one
/// page, its script and its stylesheet (embedded in the tool), the cluster document as JSON (<c>GET /api/cluster</c>)
/// and as server-sent events (<c>GET /events</c>), and the operations (<c>POST /api/move</c>, <c>/api/standby</c>,
/// <c>/api/maintenance</c>), which need <c>Authorization: Bearer TOKEN</c>: without the operator's token a POST is 401
/// and reaches no node. Registered before the node, so a port that cannot be bound ends the process before the node
/// joins the cluster.
/// </summary>
internal sealed partial class WebServer : IHostedService, IDisposable
{
    /// <summary>The largest request body read (an operation is a few names).</summary>
    private const int MaxBody = 4096;

    private static readonly Dictionary<string, (string Resource, string ContentType)> Assets = new(StringComparer.Ordinal)
    {
        ["/"] = ("index.html", "text/html; charset=utf-8"),
        ["/index.html"] = ("index.html", "text/html; charset=utf-8"),
        ["/app.js"] = ("app.js", "text/javascript; charset=utf-8"),
        ["/app.css"] = ("app.css", "text/css; charset=utf-8"),
    };

    private readonly WebOptions _options;
    private readonly ClusterWatch _watch;
    private readonly WebOperations _operations;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly HttpListener _listener = new() { IgnoreWriteExceptions = true };
    private Task? _accepting;

    public WebServer(WebOptions options, ClusterWatch watch, WebOperations operations, ILogger<WebServer> logger)
    {
        _options = options;
        _watch = watch;
        _operations = operations;
        _logger = logger;
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var prefix in _options.Prefixes)
        {
            _listener.Prefixes.Add(prefix);
        }

        try
        {
            _listener.Start();
        }
        catch (HttpListenerException ex)
        {
            throw new InvalidOperationException($"--web-port {_options.Port}: cannot listen on {string.Join(" and ", _options.Prefixes)} ({ex.Message}); choose a free port, or leave out --web-port.", ex);
        }

        _watch.Start();
        _accepting = Task.Run(AcceptAsync, CancellationToken.None);
        Log.Serving(_logger, _options.Url, _options.OperationsEnabled ? $"operations need the token of {WebOptions.TokenSetting}" : $"read-only: no token in {WebOptions.TokenSetting} or {WebOptions.TokenVariable}");
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_listener.IsListening)
        {
            _listener.Stop();
        }

        if (_accepting is not null)
        {
            await _accepting.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _listener.Close();
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            Secure(response);
            var path = request.Url?.AbsolutePath ?? "/";
            switch (request.HttpMethod, path)
            {
                case ("GET", _) when Assets.TryGetValue(path, out var asset):
                    await WriteAsync(response, 200, asset.ContentType, ReadAsset(asset.Resource)).ConfigureAwait(false);
                    break;
                case ("GET", "/api/cluster"):
                    var document = await _watch.ReadAsync(_stopping.Token).ConfigureAwait(false);
                    await WriteAsync(response, 200, "application/json; charset=utf-8", Encoding.UTF8.GetBytes(ClusterWatch.ToJson(document))).ConfigureAwait(false);
                    break;
                case ("GET", "/events"):
                    await StreamAsync(response).ConfigureAwait(false);
                    break;
                case ("POST", "/api/move" or "/api/standby" or "/api/maintenance"):
                    await OperateAsync(request, response, path).ConfigureAwait(false);
                    break;
                case (_, "/api/move" or "/api/standby" or "/api/maintenance"):
                    response.Headers["Allow"] = "POST";
                    await ProblemAsync(response, 405, "Use POST.").ConfigureAwait(false);
                    break;
                case (_, _) when Assets.ContainsKey(path) || path is "/api/cluster" or "/events":
                    response.Headers["Allow"] = "GET";
                    await ProblemAsync(response, 405, "Use GET.").ConfigureAwait(false);
                    break;
                default:
                    await ProblemAsync(response, 404, "Not found.").ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away, or the node stops.
        }
#pragma warning disable CA1031 // One request's failure is that request's 500, never the server's end.
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            Log.RequestFailed(_logger, request.HttpMethod, request.Url?.AbsolutePath ?? "?", ex.GetType().Name, ex.Message);
            try
            {
                await ProblemAsync(response, 500, "The node could not answer; see its log.").ConfigureAwait(false);
            }
            catch (Exception inner) when (inner is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>The document as server-sent events: the latest at once, then each new one, until the page goes.</summary>
    private async Task StreamAsync(HttpListenerResponse response)
    {
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.SendChunked = true;
        var subscription = _watch.Subscribe();
        try
        {
            var output = response.OutputStream;
            await WriteEventAsync(output, "retry: 1000\n\n").ConfigureAwait(false);
            if (_watch.Latest is { } latest)
            {
                await WriteEventAsync(output, $"event: cluster\ndata: {latest}\n\n").ConfigureAwait(false);
            }

            await foreach (var json in subscription.Reader.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
            {
                await WriteEventAsync(output, $"event: cluster\ndata: {json}\n\n").ConfigureAwait(false);
            }
        }
        finally
        {
            _watch.Unsubscribe(subscription);
        }

        async Task WriteEventAsync(Stream output, string text)
        {
            await output.WriteAsync(Encoding.UTF8.GetBytes(text), _stopping.Token).ConfigureAwait(false);
            await output.FlushAsync(_stopping.Token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// An operation: the token first (nothing is read or asked without it), then the request, then the node. The token
    /// travels only in the Authorization header, never in a cookie: a page of another origin can neither read it nor make
    /// the browser send it, and cannot set the header itself without a CORS preflight, which this server never grants.
    /// </summary>
    private async Task OperateAsync(HttpListenerRequest request, HttpListenerResponse response, string path)
    {
        var caller = request.RemoteEndPoint?.Address.ToString() ?? "?";
        if (!_options.OperationsEnabled)
        {
            Log.Refused(_logger, path, caller, "no token is configured");
            await ProblemAsync(response, 403, $"This node's web view is read-only: set {WebOptions.TokenSetting} or {WebOptions.TokenVariable} on the node to allow operations.").ConfigureAwait(false);
            return;
        }

        if (!_options.Authorizes(request.Headers["Authorization"]))
        {
            Log.Refused(_logger, path, caller, "no token, or a wrong one");
            response.Headers["WWW-Authenticate"] = "Bearer realm=\"clusterpro\"";
            await ProblemAsync(response, 401, "The operator's token is missing or wrong; nothing was changed.").ConfigureAwait(false);
            return;
        }

        OperationBody? body;
        try
        {
            body = await ReadBodyAsync(request).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            body = null;
        }

        if (body is null)
        {
            await ProblemAsync(response, 400, "The body must be JSON (at most 4 KB), e.g. {\"group\":\"failover1\",\"target\":\"node2\"}.").ConfigureAwait(false);
            return;
        }

        var from = $"operator@{caller}";
        var answer = path switch
        {
            "/api/move" => await _operations.MoveAsync(body.Group, body.Target, from, _stopping.Token).ConfigureAwait(false),
            "/api/standby" => await _operations.StandbyAsync(body.Node, body.On ?? true, body.Force ?? false, from, _stopping.Token).ConfigureAwait(false),
            _ => body.On is { } on
                ? await _operations.MaintenanceAsync(on, from, _stopping.Token).ConfigureAwait(false)
                : WebAnswer.Invalid("Say \"on\": true or false."),
        };
        Log.Operation(_logger, path, caller, answer.Accepted, answer.Message);
        await WriteAsync(response, answer.Status, "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(answer, Json.Options)).ConfigureAwait(false);
    }

    private static async Task<OperationBody?> ReadBodyAsync(HttpListenerRequest request)
    {
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || request.ContentLength64 > MaxBody)
        {
            return null;
        }

        var buffer = new byte[MaxBody + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await request.InputStream.ReadAsync(buffer.AsMemory(read)).ConfigureAwait(false)) > 0)
        {
            read += n;
        }

        return read > MaxBody ? null : JsonSerializer.Deserialize<OperationBody>(buffer.AsSpan(0, read), Json.Options);
    }

    /// <summary>No framing, no sniffing, no referrer, and nothing loaded from anywhere but this node.</summary>
    private static void Secure(HttpListenerResponse response)
    {
        response.Headers["Content-Security-Policy"] = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers["X-Frame-Options"] = "DENY";
        response.Headers["Cache-Control"] = "no-store";
    }

    private static Task ProblemAsync(HttpListenerResponse response, int status, string message) =>
        WriteAsync(response, status, "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(new WebAnswer(status, false, null, message), Json.Options));

    private static async Task WriteAsync(HttpListenerResponse response, int status, string contentType, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body).ConfigureAwait(false);
    }

    private static byte[] ReadAsset(string name)
    {
        using var stream = typeof(WebServer).Assembly.GetManifestResourceStream($"ClusterPro.Web.{name}")
            ?? throw new InvalidOperationException($"The web view's {name} is not embedded in the tool.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4100, EventName = "WebServing", Level = LogLevel.Information, Message = "web: the cluster's page is at {Url} ({Operations})")]
        public static partial void Serving(ILogger logger, string url, string operations);

        [LoggerMessage(EventId = 4102, EventName = "WebOperationRefused", Level = LogLevel.Warning, Message = "web: POST {Path} from {Caller} refused: {Why}; nothing was changed")]
        public static partial void Refused(ILogger logger, string path, string caller, string why);

        [LoggerMessage(EventId = 4103, EventName = "WebOperation", Level = LogLevel.Information, Message = "web: POST {Path} from {Caller}: accepted {Accepted}: {Answer}")]
        public static partial void Operation(ILogger logger, string path, string caller, bool accepted, string answer);

        [LoggerMessage(EventId = 4104, EventName = "WebRequestFailed", Level = LogLevel.Warning, Message = "web: {Method} {Path} failed ({Type}: {Message})")]
        public static partial void RequestFailed(ILogger logger, string method, string path, string type, string message);
    }
}

/// <summary>An operation's request: a group and a target for a move, a node and on/off for standby, on/off for maintenance.</summary>
internal sealed record OperationBody(string? Group, string? Target, string? Node, bool? On, bool? Force);
