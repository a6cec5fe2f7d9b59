namespace ClusterPro.Nemesis;

/// <summary>What a run measured besides violations: fences, takeovers and how long they took.</summary>
internal sealed class RunStats
{
    /// <summary>Instances stopped by a node (forwarded StopInstances, per target).</summary>
    public int Fences { get; set; }

    /// <summary>Times the group changed owner.</summary>
    public int Takeovers { get; set; }

    /// <summary>How long each takeover took: from the first moment the old owner no longer served the group (down, frozen, released) to the group served again (seconds).</summary>
    public List<double> TakeoverSeconds { get; } = [];

    /// <summary>Takeovers from an owner that was sound all along.</summary>
    public int FalseFailovers { get; set; }
}
