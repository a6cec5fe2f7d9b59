namespace ClusterPro.Nemesis;

/// <summary>What the relay does to one direction of a heartbeat link.</summary>
/// <param name="Cut">Drop everything.</param>
/// <param name="Loss">The share of packets dropped (0–1).</param>
/// <param name="Delay">Delay added to every packet.</param>
internal sealed record LinkRule(bool Cut, double Loss, TimeSpan Delay)
{
    /// <summary>A clean link.</summary>
    public static readonly LinkRule Clean = new(false, 0, TimeSpan.Zero);

    /// <summary>A cut link.</summary>
    public static readonly LinkRule Down = new(true, 0, TimeSpan.Zero);

    /// <summary>Whether anything is done to the link.</summary>
    public bool Faulted => Cut || Loss > 0 || Delay > TimeSpan.Zero;
}
