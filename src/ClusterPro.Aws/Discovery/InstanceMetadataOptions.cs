namespace ClusterPro.Aws.Discovery;

/// <summary>Settings of <see cref="InstanceMetadataClient"/>.</summary>
public sealed class InstanceMetadataOptions
{
    /// <summary>The IMDS endpoint. <value>Default: <c>http://169.254.169.254/</c>.</value></summary>
    public Uri Endpoint { get; set; } = new("http://169.254.169.254/");

    /// <summary>Bound on each metadata request. <value>Default: 2 s.</value></summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Lifetime asked for the session token; it is reused until a minute before it expires. <value>Default: 6 h.</value></summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Attempts per request (slow metadata at boot is common). <value>Default: 3.</value></summary>
    public int Attempts { get; set; } = 3;
}
