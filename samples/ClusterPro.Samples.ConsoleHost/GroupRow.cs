using System.Globalization;
using ClusterPro.Aws.Placement;
using ClusterPro.Control;
using ClusterPro.Failover;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>
/// One group in <c>status</c>: its owner by the nodes (the node whose own claim holds it), its owner by AWS (where every
/// resource points) and by the witness, its state on every node, and the verdict: <c>ok</c> (one owner, and AWS points
/// at it), <c>stopped</c> (no node holds it and AWS shows it released), <c>drift</c> or <c>unknown</c> (an AWS read failed).
/// </summary>
internal sealed record GroupRow(
    string Name,
    string? Owner,
    string? AwsOwner,
    bool OwnedHere,
    string Verdict,
    IReadOnlyList<string> Problems,
    long Epoch,
    IReadOnlyDictionary<string, string> States,
    IReadOnlyList<AwsResourcePlacement> Resources,
    LeaseRow? Lease)
{
    public static GroupRow Judge(string name, IReadOnlyList<string> nodes, IReadOnlyDictionary<string, NodeReport?> reports, List<AwsResourcePlacement> resources, LeaseRow? lease, TimeSpan leaseDuration, string? thisNode)
    {
        var problems = new List<string>();
        var answered = reports.Values.OfType<NodeReport>().ToList();

        // By the nodes: a node's own claim is what it holds; one not answering is known through its peers' views.
        var states = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var holders = new List<string>();
        foreach (var node in nodes)
        {
            var local = reports.GetValueOrDefault(node)?.View.Groups.FirstOrDefault(g => Same(g.Group, name));
            states[node] = reports.GetValueOrDefault(node) is null ? "no answer" : local?.LocalState?.ToString() ?? "-";
            if (local?.LocalState is GroupClaimState.Activating or GroupClaimState.Active or GroupClaimState.Deactivating or GroupClaimState.Stuck)
            {
                holders.Add(node);
            }
        }

        var seenOwners = answered.Select(r => r.View.OwnerOf(name)).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var owner = holders.Count == 1 ? holders[0]
            : holders.Count == 0 && seenOwners.Count == 1 && reports.GetValueOrDefault(seenOwners[0]) is null ? seenOwners[0]
            : null;
        if (holders.Count > 1)
        {
            problems.Add($"{string.Join(" and ", holders)} both hold it.");
        }

        var epoch = answered.Select(r => r.View.Groups.FirstOrDefault(g => Same(g.Group, name))?.Epoch ?? 0).DefaultIfEmpty(0).Max();

        // By AWS.
        var unknown = resources.Any(r => r.State == AwsPlacementState.Unknown) || lease is { Answered: false };
        var awsOwners = resources.Where(r => r.State == AwsPlacementState.Node).Select(r => r.Node!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        // Stopped: no node holds it, and AWS shows a released group: what a deactivation clears (the Elastic IP's
        // association, the record) points nowhere, and what it keeps (the VIP's routes) points at one node at most.
        var stopped = holders.Count == 0 && owner is null && !unknown
            && !resources.Any(r => r.State == AwsPlacementState.Drifted) && awsOwners.Count <= 1
            && (resources.Count == 0 ? lease is not { Owner: not null } : resources.Any(r => r.State == AwsPlacementState.None));
        foreach (var r in resources.Where(r => r.State is AwsPlacementState.Drifted || (r.State == AwsPlacementState.None && !stopped)))
        {
            problems.Add($"{r.Resource} {(r.State == AwsPlacementState.None ? "points nowhere" : "drifted")}.");
        }

        if (awsOwners.Count > 1)
        {
            problems.Add($"AWS points at {string.Join(" and ", awsOwners)}.");
        }

        // AWS points at a node when every resource points at it (with no AWS resource, the lease says).
        var awsOwner = resources.Count == 0 ? lease?.Owner
            : awsOwners.Count == 1 && resources.All(r => r.State == AwsPlacementState.Node) ? awsOwners[0]
            : null;
        if (lease is { Answered: true, Owner: not null, AgeSeconds: { } age } && age > leaseDuration.TotalSeconds)
        {
            // The owner renews its item well within the lease: an older item means it stopped renewing.
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"The lease expired: not renewed for {age:0.#} s, longer than the lease ({leaseDuration.TotalSeconds:0.#} s, ClusterPro:Witness:LeaseDuration)."));
        }

        if (lease is { Answered: true } && awsOwner is not null && resources.Count > 0 && !Same(lease.Owner, awsOwner))
        {
            problems.Add($"The lease is {(lease.Owner is null ? "not held" : "held by " + lease.Owner)}, but AWS points at {awsOwner}.");
        }

        // The nodes and AWS side by side.
        var elsewhere = awsOwners.Where(a => !Same(a, owner)).ToList();
        if (!stopped && answered.Count > 0 && owner is not null && elsewhere.Count > 0)
        {
            problems.Add($"{owner} holds it, but AWS points at {string.Join(" and ", elsewhere)}.");
        }
        else if (!stopped && answered.Count > 0 && owner is null && holders.Count == 0 && awsOwners.Count > 0)
        {
            problems.Add($"AWS points at {string.Join(" and ", awsOwners)}, but no node holds it.");
        }
        else if (!stopped && owner is null && awsOwner is null && problems.Count == 0 && !unknown)
        {
            problems.Add("Neither a node nor AWS says who owns it.");
        }

        var verdict = unknown ? "unknown" : stopped ? "stopped" : problems.Count > 0 ? "drift" : "ok";
        var shown = answered.Count > 0 ? owner : problems.Count == 0 ? awsOwner : null;
        return new GroupRow(name, unknown ? null : shown, unknown ? null : awsOwner, shown is not null && Same(shown, thisNode), verdict, problems, epoch, states, resources, lease);
    }

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
