using ClusterPro.Aws.Placement;
using ClusterPro.Aws.Witness;
using ClusterPro.Control;
using ClusterPro.DependencyInjection;
using ClusterPro.Resources;
using ClusterPro.Witness;
using Microsoft.Extensions.DependencyInjection;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>
/// The cluster as <c>status</c> and the web view show it: the nodes' reports (however they were gathered — by the tool
/// over the control channel, or by a running node from itself and its peers) judged beside AWS's ground truth (where
/// each VIP's route tables, Elastic IP and DNS record point) and the witness's leases. One judgement, two readers.
/// </summary>
internal static class ClusterDocument
{
    /// <summary>How many of the nodes' last events the document lists (the web view's timeline reads the reports itself).</summary>
    public const int ListedEvents = 20;

    /// <summary>Reads AWS and the witness, and judges every node and group.</summary>
    /// <param name="services">The cluster's services: the keyed resources (their AWS placement) and the lease store.</param>
    /// <param name="options">The cluster's settings.</param>
    /// <param name="asking">Every node's report once asked, <see langword="null"/> for a node that did not answer: AWS is read meanwhile, so a node that does not answer costs no AWS time.</param>
    /// <param name="closed">Why no node could be asked at all, or <see langword="null"/>.</param>
    /// <param name="here">The node to mark as this one, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancellation of the AWS reads.</param>
    /// <returns>The document.</returns>
    public static async Task<StatusDocument> ReadAsync(IServiceProvider services, ClusterProOptions options, Task<IReadOnlyDictionary<string, NodeReport?>> asking, string? closed, string? here, CancellationToken cancellationToken = default)
    {
        var nodes = options.NodeNames;
        var witness = options.Witness;
        var leases = ClusterChecks.IsDynamoDbWitness(witness) ? services.GetService<IGroupLeaseStore>() as DynamoDbGroupLeaseStore : null;
        var clock = TimeProvider.System;
        var read = new List<(string Name, List<AwsResourcePlacement> Resources, LeaseRow? Lease)>();
        foreach (var (name, group) in options.Groups)
        {
            var resources = new List<AwsResourcePlacement>();
            foreach (var resource in group.Resources)
            {
                if (services.GetRequiredKeyedService<IGroupResource>(resource.Name) is IAwsResourcePlacement placement)
                {
                    resources.Add(await placement.ReadPlacementAsync(nodes, cancellationToken));
                }
            }

            var lease = leases is null ? null : LeaseRow.From(await leases.ReadDetailAsync(name, cancellationToken), clock.GetUtcNow());
            read.Add((name, resources, lease));
        }

        var reports = await asking;
        var answered = reports.Values.OfType<NodeReport>().ToList();
        var groups = read.Select(g => GroupRow.Judge(g.Name, nodes, reports, g.Resources, g.Lease, witness.LeaseDuration, here)).ToList();

        var rows = nodes.Select(n => NodeRow.Of(n, reports, groups)).ToList();
        var monitors = answered
            .SelectMany(r => r.Monitors.Select(m => MonitorRow.Of(r.View.Node, m)))
            .ToList();
        var events = answered
            .SelectMany(r => r.Events)
            .OrderBy(e => e.Timestamp)
            .TakeLast(ListedEvents)
            .Select(e => new EventRow(e.Timestamp, e.Node, e.Kind.ToString(), e.Subject, e.Detail, e.Succeeded))
            .ToList();
        var cluster = ClusterRow.Judge(groups, answered, reports.Count, closed);
        return new StatusDocument(cluster, here, rows, groups, monitors, events, leases is null ? null : new WitnessRow(witness.Type!, leases.Table));
    }
}
