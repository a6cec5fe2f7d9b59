using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using ClusterPro.Aws.Testing.Auth;
using ClusterPro.Aws.Testing.DynamoDb;
using ClusterPro.Aws.Testing.Ec2;
using ClusterPro.Aws.Testing.Faults;
using ClusterPro.Aws.Testing.Iam;
using ClusterPro.Aws.Testing.Route53;
using ClusterPro.Aws.Testing.Sts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ClusterPro.Aws.Testing.Hosting;

/// <summary>Routes a request to its service, authenticates it, applies faults, dispatches it and writes AWS-shaped answers.</summary>
internal sealed class AwsRequestPipeline(EmulatorState state, AwsEmulatorOptions options, EmulatorFaults faults, EmulatorCallLog calls, Func<RequestAuthorizer?> authorizer)
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

        var headers = request.Headers.ToDictionary(h => h.Key, h => (IReadOnlyList<string>)h.Value.Select(v => v ?? string.Empty).ToList(), StringComparer.OrdinalIgnoreCase);
        var signed = new SignedRequest(request.Method, rawPath, rawQuery, headers, body);
        var claim = SigV4.ParseClaim(signed);
        var call = Route(request, rawPath, rawQuery, body, claim?.Service);
        var region = claim?.Region ?? options.Region;
        var reply = new Reply(context, call, region, requestId, calls);

        if (faults.EndpointDown)
        {
            reply.Log(0, null);
            context.Abort();
            return;
        }

        if (call.Service == AwsService.Unserved)
        {
            await reply.UnservedAsync(request.ContentType).ConfigureAwait(false);
            return;
        }

        var authError = RequestAuthenticator.Authenticate(call.Service, signed, claim, options, TimeProvider.System.GetUtcNow());
        if (authError is not null)
        {
            await reply.ErrorAsync(authError).ConfigureAwait(false);
            return;
        }

        if (authorizer()?.Authorize(call, region, rawPath, body) is { } denied)
        {
            await reply.ErrorAsync(denied).ConfigureAwait(false);
            return;
        }

        var applied = faults.Match(call.Operation, call.Values);
        foreach (var latency in applied.Latencies)
        {
            await Task.Delay(latency.Latency + faults.NextJitter(latency.Jitter), TimeProvider.System, context.RequestAborted).ConfigureAwait(false);
        }

        switch (applied.Terminal?.Kind)
        {
            case FaultKind.Hang:
                reply.Log(0, null);
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, context.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }

                return;
            case FaultKind.ConnectionReset:
                reply.Log(0, null);
                context.Abort();
                return;
            case FaultKind.Deny:
                await reply.ErrorAsync(DenyError(call.Service, call.Operation, applied.Terminal.ResourceId)).ConfigureAwait(false);
                return;
            case FaultKind.Error:
                await reply.ErrorAsync(InjectedError(call.Service, applied.Terminal)).ConfigureAwait(false);
                return;
        }

        try
        {
            switch (call.Service)
            {
                case AwsService.Route53:
                    await reply.Route53Async(HandleRoute53(call, rawPath, rawQuery, body, requestId)).ConfigureAwait(false);
                    break;
                case AwsService.DynamoDb:
                    await HandleDynamoDbAsync(reply, call, body, region).ConfigureAwait(false);
                    break;
                case AwsService.Sts:
                    await reply.XmlAsync(200, StsHandler.Handle(call.Operation, region, requestId)).ConfigureAwait(false);
                    break;
                default:
                    await reply.XmlAsync(200, HandleEc2(call, requestId, region)).ConfigureAwait(false);
                    break;
            }
        }
        catch (AwsErrorException ex)
        {
            await reply.ErrorAsync(ex).ConfigureAwait(false);
        }
        catch (InvalidChangeBatchException ex)
        {
            await reply.ErrorAsync(new AwsErrorException("InvalidChangeBatch", "[" + string.Join(", ", ex.Messages) + "]")).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Which service a request is for, by its shape (a DynamoDB target, a Route 53 path, an EC2 or STS action) and, for
    /// anything else, by the service it was signed for: a request for a service the emulator does not serve (an SSM
    /// target, an SQS action …) is <see cref="AwsService.Unserved"/>, never answered as if it were DynamoDB or EC2.
    /// </summary>
    private AwsCallInfo Route(HttpRequest request, string rawPath, string rawQuery, byte[] body, string? signedFor)
    {
        if (request.Headers["X-Amz-Target"].ToString() is { Length: > 0 } target)
        {
            if (target.StartsWith(DynamoDbHandler.TargetPrefix, StringComparison.Ordinal))
            {
                return new AwsCallInfo(AwsService.DynamoDb, target[DynamoDbHandler.TargetPrefix.Length..], JsonValues(body), null);
            }

            var dot = target.LastIndexOf('.');
            return new AwsCallInfo(AwsService.Unserved, dot < 0 ? target : target[(dot + 1)..], [], null) { ServiceName = signedFor ?? (dot < 0 ? target : target[..dot]) };
        }

        if (rawPath.StartsWith(Route53Handler.Prefix, StringComparison.Ordinal))
        {
            var path = Uri.UnescapeDataString(rawPath);
            return new AwsCallInfo(AwsService.Route53, Route53Handler.OperationOf(request.Method, path), path.Split('/').Concat(XmlValues(body)).ToList(), null);
        }

        var form = request.Method == "POST" ? Encoding.UTF8.GetString(body) : rawQuery;
        var p = new QueryParams(ParseForm(form)) { PageSize = options.PageSize };
        var operation = p.Get("Action") ?? "Unknown";
        if (StsHandler.Claims(p))
        {
            return new AwsCallInfo(AwsService.Sts, operation, p.AllValues.ToList(), p);
        }

        if (Ec2Handler.Supports(operation) || signedFor is null or "ec2" or "sts")
        {
            return new AwsCallInfo(signedFor == "sts" ? AwsService.Sts : AwsService.Ec2, operation, p.AllValues.ToList(), p);
        }

        return new AwsCallInfo(AwsService.Unserved, operation, [], p) { ServiceName = signedFor, QueryProtocol = p.Get("Action") is not null };
    }

    private async Task HandleDynamoDbAsync(Reply reply, AwsCallInfo call, byte[] body, string region)
    {
        JsonObject response;
        try
        {
            if (!DynamoDbHandler.Operations.Contains(call.Operation))
            {
                throw new DynamoDbException("UnknownOperationException", string.Empty);
            }

            var request = (body.Length == 0 ? null : JsonNode.Parse(body)) as JsonObject
                ?? throw new DynamoDbException("SerializationException", "Start of structure or map found where not expected.");
            lock (state.Sync)
            {
                response = DynamoDbHandler.Handle(call.Operation, request, state.DynamoDb(region), options.TimeProvider.GetUtcNow(), () => Guid.NewGuid().ToString());
            }
        }
        catch (DynamoDbException ex)
        {
            await reply.DynamoDbErrorAsync(ex.Code, ex.Message, ex.Status, ex.Item).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or InvalidCastException)
        {
            await reply.DynamoDbErrorAsync("SerializationException", ex.Message, 400, null).ConfigureAwait(false);
            return;
        }

        await reply.JsonAsync(200, DynamoDbHandler.ContentType, response.ToJsonString(), null).ConfigureAwait(false);
    }

    private XElement HandleEc2(AwsCallInfo call, string requestId, string region)
    {
        var p = call.Query!;
        if (p.Bool("DryRun"))
        {
            throw Ec2Handler.Supports(call.Operation)
                ? new AwsErrorException("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412)
                : new AwsErrorException("InvalidAction", $"The action {call.Operation} is not valid for this web service.");
        }

        lock (state.Sync)
        {
            return Ec2Handler.Handle(call.Operation, p, state.Region(region), requestId);
        }
    }

    private Route53Response HandleRoute53(AwsCallInfo call, string rawPath, string rawQuery, byte[] body, string requestId)
    {
        XDocument? document = null;
        if (body.Length > 0)
        {
            var text = Encoding.UTF8.GetString(body);
            try
            {
                document = SafeXml.Parse(text);
            }
            catch (XmlException ex)
            {
                throw new AwsErrorException("InvalidInput", SafeXml.Route53Message(text, ex));
            }
        }

        var query = SigV4.ParseQuery(rawQuery).GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        lock (state.Sync)
        {
            return Route53Handler.Handle(call.Operation, Uri.UnescapeDataString(rawPath), query, document, state.Route53, options.PageSize);
        }
    }

    private static AwsErrorException DenyError(AwsService service, string operation, string? resourceId)
    {
        var resource = resourceId ?? "*";
        return service switch
        {
            AwsService.Ec2 => new AwsErrorException("UnauthorizedOperation", "You are not authorized to perform this operation.", 403),
            AwsService.Route53 => new AwsErrorException("AccessDenied", $"User: arn:aws:iam::{Ec2Handler.OwnerId}:user/emulator is not authorized to perform: route53:{operation} on resource: {(resourceId is null ? "*" : $"arn:aws:route53:::hostedzone/{resourceId}")}", 403),
            AwsService.DynamoDb => new AwsErrorException("AccessDeniedException", $"User: arn:aws:iam::{Ec2Handler.OwnerId}:user/emulator is not authorized to perform: dynamodb:{operation} on resource: {resource}", 400),
            _ => new AwsErrorException("AccessDenied", $"User: arn:aws:iam::{Ec2Handler.OwnerId}:user/emulator is not authorized to perform: sts:{operation}", 403),
        };
    }

    private static AwsErrorException InjectedError(AwsService service, FaultRule rule)
    {
        var code = rule.ErrorCode ?? "InternalError";
        if (code == "Throttle")
        {
            code = service switch
            {
                AwsService.Ec2 => "RequestLimitExceeded",
                AwsService.DynamoDb => "ThrottlingException",
                _ => "Throttling",
            };
        }

        var (status, message) = code switch
        {
            "RequestLimitExceeded" => (503, "Request limit exceeded."),
            "Throttling" or "ThrottlingException" => (400, "Rate exceeded"),
            "ProvisionedThroughputExceededException" => (400, "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API."),
            "PriorRequestNotComplete" => (400, "The request was rejected because Route 53 was still processing a prior request."),
            "InternalError" or "InternalFailure" or "InternalServerError" => (500, "An internal error has occurred"),
            "ServiceUnavailable" or "Unavailable" => (503, "Service Unavailable"),
            "UnauthorizedOperation" => (403, "You are not authorized to perform this operation."),
            "AccessDenied" => (403, "Access denied."),
            _ => (400, $"Injected error {code}."),
        };
        return new AwsErrorException(code, rule.Message ?? message, rule.Status ?? status);
    }

    private static IEnumerable<KeyValuePair<string, string>> ParseForm(string form)
    {
        foreach (var part in form.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = part.Split('=', 2);
            yield return new(Decode(kv[0]), kv.Length > 1 ? Decode(kv[1]) : string.Empty);
        }

        static string Decode(string s)
        {
            try
            {
                return Uri.UnescapeDataString(s.Replace('+', ' '));
            }
            catch (UriFormatException)
            {
                return s;
            }
        }
    }

    private static List<string> JsonValues(byte[] body)
    {
        try
        {
            return body.Length == 0 ? [] : JsonNode.Parse(body)!.AsObject().SelectMany(Leaves).ToList();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return [];
        }

        static IEnumerable<string> Leaves(KeyValuePair<string, JsonNode?> kv) => kv.Value switch
        {
            JsonObject o => o.SelectMany(Leaves),
            JsonArray a => a.SelectMany(n => Leaves(new(kv.Key, n))),
            JsonValue v when v.TryGetValue<string>(out var text) => [text],
            _ => [],
        };
    }

    private static List<string> XmlValues(byte[] body)
    {
        if (body.Length == 0)
        {
            return [];
        }

        try
        {
            return SafeXml.Parse(Encoding.UTF8.GetString(body)).Descendants().Where(e => !e.HasElements).Select(e => e.Value).ToList();
        }
        catch (XmlException)
        {
            return [];
        }
    }
}
