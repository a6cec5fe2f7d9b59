namespace ClusterPro.Aws.Testing.Hosting;

/// <summary>One AWS API call the emulator received.</summary>
/// <param name="Service">"ec2", "route53", "dynamodb" or "sts".</param>
/// <param name="Operation">The operation (e.g. <c>ReplaceRoute</c>).</param>
/// <param name="Region">The region from the signature's credential scope (the emulator's region when unsigned).</param>
/// <param name="Status">The HTTP status answered (0 when the connection was reset or the call hung).</param>
/// <param name="ErrorCode">The AWS error code answered, if any.</param>
public sealed record EmulatorCall(string Service, string Operation, string Region, int Status, string? ErrorCode);
