namespace ClusterPro.Aws.Testing.Hosting;

/// <summary>The AWS services the emulator serves on its one endpoint.</summary>
internal enum AwsService
{
    /// <summary>EC2, Query protocol, regional (SigV4 service <c>ec2</c>).</summary>
    Ec2,

    /// <summary>Route 53, REST-XML under <c>/2013-04-01/</c>, global (SigV4 service <c>route53</c>, region <c>us-east-1</c>).</summary>
    Route53,

    /// <summary>DynamoDB, JSON 1.0 with <c>X-Amz-Target: DynamoDB_20120810.*</c>, regional (SigV4 service <c>dynamodb</c>).</summary>
    DynamoDb,

    /// <summary>STS, Query protocol (SigV4 service <c>sts</c>), regional or the global endpoint's <c>us-east-1</c>.</summary>
    Sts,

    /// <summary>Any other service (SSM, S3, SQS …): answered with AWS's unknown-operation error for its protocol.</summary>
    Unserved,
}
