using System.Text.Json.Nodes;
using System.Xml.Linq;
using ClusterPro.Aws.Testing.DynamoDb;
using ClusterPro.Aws.Testing.Ec2;
using ClusterPro.Aws.Testing.Route53;
using ClusterPro.Aws.Testing.Sts;
using Microsoft.AspNetCore.Http;

namespace ClusterPro.Aws.Testing.Hosting;

/// <summary>Writes one call's answer in its service's shape and logs the call.</summary>
internal sealed class Reply(HttpContext context, AwsCallInfo call, string region, string requestId, EmulatorCallLog calls)
{
    public void Log(int status, string? errorCode) =>
        calls.Add(new EmulatorCall(call.ServiceName ?? RequestAuthenticator.ServiceName(call.Service), call.Operation, region, status, errorCode));

    /// <summary>AWS's answer for an operation of a service the emulator does not serve: <c>UnknownOperationException</c> (JSON) or <c>InvalidAction</c> (Query).</summary>
    public Task UnservedAsync(string? contentType)
    {
        if (call.QueryProtocol)
        {
            Log(400, "InvalidAction");
            context.Response.Headers["x-amzn-RequestId"] = requestId;
            var error = new XElement(
                "ErrorResponse",
                new XElement("Error", new XElement("Type", "Sender"), new XElement("Code", "InvalidAction"), new XElement("Message", $"Could not find operation {call.Operation}")),
                new XElement("RequestId", requestId));
            return WriteXmlAsync(400, error);
        }

        var type = contentType is { } t && t.StartsWith("application/x-amz-json-", StringComparison.Ordinal) ? t : "application/x-amz-json-1.1";
        return JsonAsync(400, type, "{\"__type\":\"com.amazon.coral.service#UnknownOperationException\"}", "UnknownOperationException");
    }

    public Task ErrorAsync(AwsErrorException error)
    {
        if (call.Service == AwsService.DynamoDb)
        {
            return DynamoDbErrorAsync(error.Code, error.Message, error.Status, null);
        }

        Log(error.Status, error.Code);
        switch (call.Service)
        {
            case AwsService.Route53:
                context.Response.Headers["x-amzn-RequestId"] = requestId;
                context.Response.Headers["x-amzn-ErrorType"] = error.Code;
                return WriteXmlAsync(error.Status, Route53Handler.Error(error.Code, error.Message, requestId, error.Status));
            case AwsService.Sts:
                context.Response.Headers["x-amzn-RequestId"] = requestId;
                return WriteXmlAsync(error.Status, StsHandler.Error(error.Code, error.Message, requestId, error.Status));
            default:
                return WriteXmlAsync(error.Status, Ec2Handler.Error(error.Code, error.Message, requestId));
        }
    }

    public Task XmlAsync(int status, XElement body)
    {
        Log(status, null);
        if (call.Service != AwsService.Ec2)
        {
            context.Response.Headers["x-amzn-RequestId"] = requestId;
        }

        return WriteXmlAsync(status, body);
    }

    public Task Route53Async(Route53Response response)
    {
        if (response.Location is not null)
        {
            context.Response.Headers.Location = response.Location;
        }

        return XmlAsync(response.Status, response.Body);
    }

    public async Task JsonAsync(int status, string contentType, string json, string? errorCode)
    {
        Log(status, errorCode);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        await context.Response.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>DynamoDB's JSON error: <c>__type</c> (namespace#code), <c>message</c>, and the item for a failed condition when asked.</summary>
    public Task DynamoDbErrorAsync(string code, string message, int status, JsonObject? item)
    {
        var error = new JsonObject { ["__type"] = DynamoDbException.TypeOf(code), ["message"] = message };
        if (item is not null)
        {
            error["Item"] = item;
        }

        return JsonAsync(status, DynamoDbHandler.ContentType, error.ToJsonString(), code);
    }

    private async Task WriteXmlAsync(int status, XElement body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml;charset=UTF-8";
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body.ToString(SaveOptions.DisableFormatting);
        await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
    }
}
