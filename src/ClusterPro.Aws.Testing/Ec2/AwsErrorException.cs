namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>An AWS error the emulator answers with: code, message and HTTP status, exactly as AWS names them.</summary>
internal sealed class AwsErrorException(string code, string message, int status = 400) : Exception(message)
{
    public string Code { get; } = code;

    public int Status { get; } = status;
}
