using System.Net;

namespace ClusterPro.Nemesis;

/// <summary>One HTTP request as read off the wire.</summary>
/// <param name="Method">The method.</param>
/// <param name="Target">The request target (path and query).</param>
/// <param name="Headers">Its headers.</param>
/// <param name="Body">Its body as text.</param>
/// <param name="Raw">The request's bytes, to forward unchanged.</param>
internal sealed record HttpRequestBytes(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body, byte[] Raw)
{
    /// <summary>
    /// The AWS operation: DynamoDB's from <c>X-Amz-Target</c>, Route 53's from its REST path, EC2's (and STS's) from
    /// the <c>Action</c> form field.
    /// </summary>
    public string Operation
    {
        get
        {
            if (Headers.TryGetValue("X-Amz-Target", out var target))
            {
                return target[(target.LastIndexOf('.') + 1)..];
            }

            if (Target.StartsWith("/2013-04-01/", StringComparison.Ordinal))
            {
                var path = Target.Split('?')[0].TrimEnd('/');
                return (Method, path) switch
                {
                    ("POST", _) when path.EndsWith("/rrset", StringComparison.Ordinal) => "ChangeResourceRecordSets",
                    ("GET", _) when path.EndsWith("/rrset", StringComparison.Ordinal) => "ListResourceRecordSets",
                    ("GET", _) when path.Contains("/change/", StringComparison.Ordinal) => "GetChange",
                    ("GET", _) when path.Contains("/hostedzone/", StringComparison.Ordinal) => "GetHostedZone",
                    _ => "Route53",
                };
            }

            return Form("Action").FirstOrDefault() ?? "Unknown";
        }
    }

    /// <summary>The values of a form field whose name is <paramref name="name"/> or starts with <paramref name="name"/> and a dot (EC2 lists: <c>InstanceId.1</c>).</summary>
    /// <param name="name">The field.</param>
    /// <returns>Its values.</returns>
    public IEnumerable<string> Form(string name)
    {
        foreach (var pair in Body.Split('&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var key = WebUtility.UrlDecode(pair[..eq]);
            if (key == name || key.StartsWith(name + ".", StringComparison.Ordinal))
            {
                yield return WebUtility.UrlDecode(pair[(eq + 1)..]);
            }
        }
    }
}
