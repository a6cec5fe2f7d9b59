namespace ClusterPro.Simulation;

/// <summary>How a simulated AWS call ended, as the caller sees it.</summary>
internal enum AwsOutcome
{
    Ok,
    Error,
    NoAnswer,
}

/// <summary>
/// The simulated AWS control plane: per group, where the VIP routes, the Elastic IP and the DNS record point; faults
/// (outage, throttling, 5xx, hangs, latency) that apply to every call while they last. A call that reached AWS may be
/// applied even when its answer never comes back, or after its caller gave up (a late write).
/// </summary>
internal sealed class SimAws
{
    public SimAws(SimConfig config)
    {
        foreach (var g in config.Groups)
        {
            Routes[g.Name] = new string?[g.RouteTables];
        }
    }

    public Dictionary<string, string?[]> Routes { get; } = [];

    public Dictionary<string, string?> Eip { get; } = [];

    public Dictionary<string, string?> Record { get; } = [];

    public int Outage { get; set; }

    /// <summary>The witness table's leases by group.</summary>
    public Dictionary<string, Witness.LeaseRecord> Leases { get; } = [];

    /// <summary>Faults that make only the witness table unreachable.</summary>
    public int WitnessOutage { get; set; }

    public double ThrottleRate { get; set; }

    public double ErrorRate { get; set; }

    public double HangRate { get; set; }

    public long ExtraLatencyMs { get; set; }

    /// <summary>The share of answers lost after the call took effect (the caller times out; the change is made).</summary>
    public double LostAnswerRate { get; set; }

    /// <summary>Whether every call gets its normal answer (no outage, throttling, errors, hangs, lost answers or extra latency).</summary>
    public bool Healthy => Outage == 0 && WitnessOutage == 0 && ThrottleRate == 0 && ErrorRate == 0 && HangRate == 0 && ExtraLatencyMs == 0 && LostAnswerRate == 0;

    /// <summary>Where all of a group's resources point, or null when they disagree or point nowhere.</summary>
    /// <param name="group">The group.</param>
    /// <returns>The node.</returns>
    public string? PointsAt(string group)
    {
        var eip = Eip.GetValueOrDefault(group);
        if (eip is null || Record.GetValueOrDefault(group) != eip)
        {
            return null;
        }

        return Routes[group].All(r => r == eip) ? eip : null;
    }

    /// <summary>Describes a group's AWS state.</summary>
    /// <param name="group">The group.</param>
    /// <returns>One line.</returns>
    public string Describe(string group) =>
        $"routes [{string.Join(",", Routes[group].Select(r => r ?? "-"))}] eip {Eip.GetValueOrDefault(group) ?? "-"} record {Record.GetValueOrDefault(group) ?? "-"}";

    public void Heal()
    {
        Outage = 0;
        WitnessOutage = 0;
        ThrottleRate = 0;
        ErrorRate = 0;
        HangRate = 0;
        ExtraLatencyMs = 0;
        LostAnswerRate = 0;
    }
}
