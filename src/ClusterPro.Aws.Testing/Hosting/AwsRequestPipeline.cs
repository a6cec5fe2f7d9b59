using System.Text;
using System.Xml;
using System.Xml.Linq;
using ClusterPro.Aws.Testing.Auth;
using ClusterPro.Aws.Testing.Ec2;
using ClusterPro.Aws.Testing.Faults;
using ClusterPro.Aws.Testing.Route53;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ClusterPro.Aws.Testing.Hosting;

/// <summary>One AWS API call the emulator received.</summary>
/// <param name="Service">"ec2" or "route53".</param>
/// <param name="Operation">The operation (e.g. <c>ReplaceRoute</c>).</param>
/// <param name="Region">The region from the signature's credential scope.</param>
/// <param name="Status">The HTTP status answered (0 when the connection was reset or the call hung).</param>
/// <param name="ErrorCode">The AWS error code answered, if any.</param>
public sealed record EmulatorCall(string Service, string Operation, string Region, int Status, string? ErrorCode);

/// <summary>Authenticates, applies faults, dispatches to EC2 or Route 53, and writes AWS-shaped answers.</summary>
internal sealed class AwsRequestPipeline(EmulatorState state, AwsEmulatorOptions options, EmulatorFaults faults, EmulatorCallLog calls)
{
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (request.Path + request.QueryString).ToString();
        var queryIndex = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = queryIndex < 0 ? rawTarget : rawTarget[..queryIndex];
        var rawQuery = queryIndex < 0 ? string.Empty : rawTarget[(queryIndex + 1)..];
        var requestId = Guid.NewGuid().ToString();
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var body = buffer.ToArray();

        var isRoute53 = rawPath.StartsWith(Route53Handler.Prefix, StringComparison.Ordinal);
        var service = isRoute53 ? "route53" : "ec2";
        QueryParams? ec2Params = null;
        string operation;
        if (isRoute53)
        {
            operation = Route53Handler.OperationOf(request.Method, Uri.UnescapeDataString(rawPath));
        }
        else
        {
            var form = request.Method == "POST" ? Encoding.UTF8.GetString(body) : rawQuery;
            ec2Params = new QueryParams(ParseForm(form));
            operation = ec2Params.Get("Action") ?? "Unknown";
        }

        var headers = request.Headers.ToDictionary(h => h.Key, h => (IReadOnlyList<string>)h.Value.Select(v => v ?? string.Empty).ToList(), StringComparer.OrdinalIgnoreCase);
        var signed = new SignedRequest(request.Method, rawPath, rawQuery, headers, body);
        var claim = SigV4.ParseClaim(signed);
        var region = claim?.Region ?? options.Region;

        if (faults.EndpointDown)
        {
            calls.Add(new EmulatorCall(service, operation, region, 0, null));
            context.Abort();
            return;
        }

        var authError = Authenticate(signed, claim, isRoute53);
        if (authError is not null)
        {
            await WriteErrorAsync(context, isRoute53, service, operation, region, authError, requestId).ConfigureAwait(false);
            return;
        }

        var requestValues = isRoute53 ? Uri.UnescapeDataString(rawPath).Split('/').Concat(XmlValues(body)) : ec2Params!.AllValues;
        foreach (var rule in faults.Match(operation, requestValues))
        {
            switch (rule.Kind)
            {
                case FaultKind.Latency:
                    await Task.Delay(rule.Latency + faults.NextJitter(rule.Jitter), TimeProvider.System, context.RequestAborted).ConfigureAwait(false);
                    break;
                case FaultKind.Hang:
                    calls.Add(new EmulatorCall(service, operation, region, 0, null));
                    try
                    {
                        await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, context.RequestAborted).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                    }

                    return;
                case FaultKind.ConnectionReset:
                    calls.Add(new EmulatorCall(service, operation, region, 0, null));
                    context.Abort();
                    return;
                case FaultKind.Deny:
                    await WriteErrorAsync(context, isRoute53, service, operation, region, DenyError(isRoute53, operation, rule.ResourceId), requestId).ConfigureAwait(false);
                    return;
                case FaultKind.Error:
                    await WriteErrorAsync(context, isRoute53, service, operation, region, InjectedError(isRoute53, rule), requestId).ConfigureAwait(false);
                    return;
            }
        }

        if (!isRoute53 && ec2Params!.Bool("DryRun"))
        {
            var dry = Ec2Handler.Supports(operation)
                ? new AwsErrorException("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412)
                : new AwsErrorException("InvalidAction", $"The action {operation} is not valid for this web service.");
            await WriteErrorAsync(context, false, service, operation, region, dry, requestId).ConfigureAwait(false);
            return;
        }

        try
        {
            if (isRoute53)
            {
                XDocument? document = null;
                if (body.Length > 0)
                {
                    try
                    {
                        document = XDocument.Parse(Encoding.UTF8.GetString(body));
                    }
                    catch (XmlException ex)
                    {
                        throw new AwsErrorException("InvalidInput", $"Could not parse the request body: {ex.Message}");
                    }
                }

                var query = SigV4.ParseQuery(rawQuery).GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
                Route53Response response;
                lock (state.Sync)
                {
                    response = Route53Handler.Handle(operation, Uri.UnescapeDataString(rawPath), query, document, state.Route53, requestId);
                }

                if (response.Location is not null)
                {
                    context.Response.Headers.Location = response.Location;
                }

                context.Response.Headers["x-amzn-RequestId"] = requestId;
                calls.Add(new EmulatorCall(service, operation, region, response.Status, null));
                await WriteXmlAsync(context, response.Status, response.Body).ConfigureAwait(false);
            }
            else
            {
                XElement response;
                lock (state.Sync)
                {
                    response = Ec2Handler.Handle(operation, ec2Params!, state.Region(region), requestId);
                }

                calls.Add(new EmulatorCall(service, operation, region, 200, null));
                await WriteXmlAsync(context, 200, response).ConfigureAwait(false);
            }
        }
        catch (AwsErrorException ex)
        {
            await WriteErrorAsync(context, isRoute53, service, operation, region, ex, requestId).ConfigureAwait(false);
        }
        catch (InvalidChangeBatchException ex)
        {
            calls.Add(new EmulatorCall(service, operation, region, 400, "InvalidChangeBatch"));
            context.Response.Headers["x-amzn-RequestId"] = requestId;
            await WriteXmlAsync(context, 400, Route53Handler.InvalidChangeBatch(ex.Messages, requestId)).ConfigureAwait(false);
        }
    }

    private AwsErrorException? Authenticate(SignedRequest signed, SigV4Claim? claim, bool isRoute53)
    {
        if (claim is null)
        {
            return isRoute53
                ? new AwsErrorException("MissingAuthenticationToken", "Missing Authentication Token", 403)
                : new AwsErrorException("AuthFailure", "AWS was not able to validate the provided access credentials", 403);
        }

        if (!string.Equals(claim.AccessKeyId, options.AccessKeyId, StringComparison.Ordinal))
        {
            return isRoute53
                ? new AwsErrorException("InvalidClientTokenId", "The security token included in the request is invalid.", 403)
                : new AwsErrorException("AuthFailure", "AWS was not able to validate the provided access credentials", 403);
        }

        if (!SigV4.Verify(signed, claim, options.SecretAccessKey))
        {
            const string message = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
            return isRoute53
                ? new AwsErrorException("SignatureDoesNotMatch", message, 403)
                : new AwsErrorException("SignatureDoesNotMatch", message, 403);
        }

        return null;
    }

    private static AwsErrorException DenyError(bool isRoute53, string operation, string? resourceId)
    {
        if (!isRoute53)
        {
            return new AwsErrorException("UnauthorizedOperation", "You are not authorized to perform this operation.", 403);
        }

        var resource = resourceId is null ? "*" : $"arn:aws:route53:::hostedzone/{resourceId}";
        return new AwsErrorException("AccessDenied", $"User: arn:aws:iam::{Ec2Handler.OwnerId}:user/emulator is not authorized to perform: route53:{operation} on resource: {resource}", 403);
    }

    private static AwsErrorException InjectedError(bool isRoute53, FaultRule rule)
    {
        var code = rule.ErrorCode ?? "InternalError";
        if (code == "Throttle")
        {
            code = isRoute53 ? "Throttling" : "RequestLimitExceeded";
        }

        var (status, message) = code switch
        {
            "RequestLimitExceeded" => (503, "Request limit exceeded."),
            "Throttling" => (400, "Rate exceeded"),
            "PriorRequestNotComplete" => (400, "The request was rejected because Route 53 was still processing a prior request."),
            "InternalError" or "InternalFailure" => (500, "An internal error has occurred"),
            "ServiceUnavailable" or "Unavailable" => (503, "Service Unavailable"),
            "UnauthorizedOperation" => (403, "You are not authorized to perform this operation."),
            "AccessDenied" => (403, "Access denied."),
            _ => (400, $"Injected error {code}."),
        };
        return new AwsErrorException(code, rule.Message ?? message, rule.Status ?? status);
    }

    private async Task WriteErrorAsync(HttpContext context, bool isRoute53, string service, string operation, string region, AwsErrorException error, string requestId)
    {
        calls.Add(new EmulatorCall(service, operation, region, error.Status, error.Code));
        var body = isRoute53
            ? Route53Handler.Error(error.Code, error.Message, requestId, error.Status)
            : Ec2Handler.Error(error.Code, error.Message, requestId);
        if (isRoute53)
        {
            context.Response.Headers["x-amzn-RequestId"] = requestId;
            context.Response.Headers["x-amzn-ErrorType"] = error.Code;
        }

        await WriteXmlAsync(context, error.Status, body).ConfigureAwait(false);
    }

    private static async Task WriteXmlAsync(HttpContext context, int status, XElement body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml;charset=UTF-8";
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body.ToString(SaveOptions.DisableFormatting);
        await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
    }

    private static IEnumerable<KeyValuePair<string, string>> ParseForm(string form)
    {
        foreach (var part in form.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = part.Split('=', 2);
            yield return new(Decode(kv[0]), kv.Length > 1 ? Decode(kv[1]) : string.Empty);
        }

        static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));
    }

    private static List<string> XmlValues(byte[] body)
    {
        if (body.Length == 0)
        {
            return [];
        }

        try
        {
            return XDocument.Parse(Encoding.UTF8.GetString(body)).Descendants().Where(e => !e.HasElements).Select(e => e.Value).ToList();
        }
        catch (XmlException)
        {
            return [];
        }
    }
}

/// <summary>The calls received, in order (thread-safe).</summary>
internal sealed class EmulatorCallLog
{
    private readonly List<EmulatorCall> _calls = [];

    public void Add(EmulatorCall call)
    {
        lock (_calls)
        {
            _calls.Add(call);
        }
    }

    public IReadOnlyList<EmulatorCall> Snapshot()
    {
        lock (_calls)
        {
            return [.. _calls];
        }
    }

    public void Clear()
    {
        lock (_calls)
        {
            _calls.Clear();
        }
    }
}
