using System.Globalization;
using ClusterPro.Aws.Testing.Auth;
using ClusterPro.Aws.Testing.Ec2;

namespace ClusterPro.Aws.Testing.Hosting;

/// <summary>
/// Checks a request's SigV4 signature as AWS does: a known access key, a credential scope naming the endpoint's
/// service and region, a signing time within the service's allowed clock skew (against the wall clock, which is
/// what clients sign with), a payload hash computed from the body, and the HMAC over the one canonical form.
/// Each failure is answered with the service's own error code and status.
/// </summary>
internal static class RequestAuthenticator
{
    public const string GlobalRegion = "us-east-1";

    public static AwsErrorException? Authenticate(AwsService service, SignedRequest signed, SigV4Claim? claim, AwsEmulatorOptions options, DateTimeOffset now)
    {
        if (claim is null)
        {
            return service switch
            {
                AwsService.Ec2 => new AwsErrorException("AuthFailure", "AWS was not able to validate the provided access credentials", 401),
                AwsService.DynamoDb => new AwsErrorException("MissingAuthenticationTokenException", "Request is missing Authentication Token", 400),
                _ => new AwsErrorException("MissingAuthenticationToken", "Missing Authentication Token", 403),
            };
        }

        if (!string.Equals(claim.AccessKeyId, options.AccessKeyId, StringComparison.Ordinal))
        {
            return service switch
            {
                AwsService.Ec2 => new AwsErrorException("AuthFailure", "AWS was not able to validate the provided access credentials", 401),
                AwsService.DynamoDb => new AwsErrorException("UnrecognizedClientException", "The security token included in the request is invalid.", 400),
                _ => new AwsErrorException("InvalidClientTokenId", "The security token included in the request is invalid.", 403),
            };
        }

        var expectedService = ServiceName(service);
        if (!string.Equals(claim.Service, expectedService, StringComparison.Ordinal))
        {
            return Mismatch(service, $"Credential should be scoped to correct service: '{expectedService}'. ");
        }

        // Regional services answer for every AWS region (each region's own state); Route 53 is global, signed for us-east-1.
        var validRegion = service == AwsService.Route53 ? claim.Region == GlobalRegion : Regions.AwsRegions.IsKnown(claim.Region);
        if (!validRegion)
        {
            return Mismatch(service, $"Credential should be scoped to a valid region, not '{claim.Region}'. ");
        }

        if (SigV4.SigningTime(claim) is not { } signedAt)
        {
            return Mismatch(service, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        if (!string.Equals(claim.Date, claim.AmzDate[..8], StringComparison.Ordinal))
        {
            return Mismatch(service, $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{claim.Date}' != '{claim.AmzDate[..8]}', from '{claim.AmzDate}'.");
        }

        var skew = service == AwsService.Route53 ? TimeSpan.FromMinutes(5) : TimeSpan.FromMinutes(15);
        if (now - signedAt > skew || signedAt - now > skew)
        {
            if (service == AwsService.Ec2)
            {
                return new AwsErrorException("RequestExpired", "Request has expired.", 400);
            }

            var minutes = ((int)skew.TotalMinutes).ToString(CultureInfo.InvariantCulture);
            return signedAt < now
                ? Mismatch(service, $"Signature expired: {claim.AmzDate} is now earlier than {Stamp(now - skew)} ({Stamp(now)} - {minutes} min.)")
                : Mismatch(service, $"Signature not yet current: {claim.AmzDate} is still later than {Stamp(now + skew)} ({Stamp(now)} + {minutes} min.)");
        }

        if (SigV4.PayloadHashMismatch(signed) is { } claimed)
        {
            return Mismatch(service, $"The provided 'x-amz-content-sha256' header does not match what was computed. Claimed: {claimed}");
        }

        if (!SigV4.Verify(signed, claim, options.SecretAccessKey))
        {
            return Mismatch(service, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }

        return null;
    }

    public static string ServiceName(AwsService service) => service switch
    {
        AwsService.Ec2 => "ec2",
        AwsService.Route53 => "route53",
        AwsService.DynamoDb => "dynamodb",
        AwsService.Sts => "sts",
        _ => "unknown",
    };

    private static AwsErrorException Mismatch(AwsService service, string message) => service == AwsService.DynamoDb
        ? new AwsErrorException("InvalidSignatureException", message, 400)
        : new AwsErrorException("SignatureDoesNotMatch", message, 403);

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
