namespace ClusterPro.Aws.Internal;

/// <summary>Why an AWS call failed.</summary>
internal enum AwsFailureKind
{
    /// <summary>AWS gave no usable answer: endpoint or network error, throttling, 5xx.</summary>
    NoAnswer,

    /// <summary>Our AWS call timeout elapsed.</summary>
    Timeout,

    /// <summary>AWS answered with a definite error (not found, unauthorized, invalid parameter …).</summary>
    Definite,
}
