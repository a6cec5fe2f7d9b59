using System.Globalization;
using System.Text.Json;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Placement;
using ClusterPro.Aws.Witness;
using ClusterPro.DependencyInjection;
using ClusterPro.Resources;
using ClusterPro.Witness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>
/// <c>status</c>: who owns each group, read from AWS. Every AWS resource says where AWS points it now (the VIP's route
/// tables, the Elastic IP's association, the A record's values) and which configured node that is; with a DynamoDB
/// witness, each group's lease (owner, epoch, how long since its item last changed). Nothing is changed.
/// </summary>
internal static class Status
{
    /// <summary>Every group has exactly one owner and every resource points at it.</summary>
    public const int Ok = 0;

    /// <summary>A group has no owner, or several, or a resource points elsewhere (drift), or the lease disagrees or expired.</summary>
    public const int Drift = 1;

    /// <summary>An AWS call failed: some placement or lease could not be read (this wins over <see cref="Drift"/>).</summary>
    public const int AwsFailed = 2;

    public const string ExitCodes = "Exit 0: every group has exactly one owner and every resource points at it; 1: a group has no owner or several, or a resource or the lease points elsewhere (drift), or the lease expired (not renewed for longer than ClusterPro:Witness:LeaseDuration); 2: an AWS call failed (wins over 1).";

    public static async Task<int> RunAsync(string config, string? node, bool json, TextWriter output, CancellationToken cancellationToken = default)
    {
        await using var services = NodeServices.Build(NodeServices.Load(config), LogLevel.Critical);
        var factory = services.GetRequiredService<ClusterProFactory>();
        var nodes = factory.Options.NodeNames;
        if (node is not null)
        {
            ClusterChecks.RequireNode(nodes, node);
        }

        var witness = factory.Options.Witness;
        var leases = ClusterChecks.IsDynamoDbWitness(witness)
            ? services.GetService<IGroupLeaseStore>() as DynamoDbGroupLeaseStore
            : null;
        var clock = TimeProvider.System;
        var groups = new List<GroupStatus>();
        foreach (var (name, group) in factory.Options.Groups)
        {
            var resources = new List<AwsResourcePlacement>();
            foreach (var resource in group.Resources)
            {
                if (services.GetRequiredKeyedService<IGroupResource>(resource.Name) is IAwsResourcePlacement placement)
                {
                    resources.Add(await placement.ReadPlacementAsync(nodes, cancellationToken));
                }
            }

            var lease = leases is null ? null : LeaseStatus.From(await leases.ReadDetailAsync(name, cancellationToken), clock.GetUtcNow());
            groups.Add(GroupStatus.Judge(name, resources, lease, witness.LeaseDuration, node));
        }

        var exit = groups.Any(g => g.Verdict == "unknown") ? AwsFailed : groups.All(g => g.Verdict == "ok") ? Ok : Drift;
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new { node, exitCode = exit, witness = leases is null ? null : new { type = witness.Type, table = leases.Table }, groups }, Json.Options));
        }
        else
        {
            WriteTable(output, groups, leases?.Table);
            output.WriteLine(exit switch
            {
                Ok => "status: every group has one owner and AWS points at it.",
                Drift => $"status: {groups.Count(g => g.Verdict != "ok")} group(s) without exactly one owner, or drifted (exit 1).",
                _ => "status: some AWS reads failed (exit 2).",
            });
        }

        return exit;
    }

    private static void WriteTable(TextWriter output, List<GroupStatus> groups, string? table)
    {
        var rows = new List<string[]> { new[] { "GROUP", "OWNER", "RESOURCE", "KIND", "STATE", "DETAIL" } };
        foreach (var g in groups)
        {
            var owner = (g.Owner ?? "(none)") + (g.OwnedHere ? " (this node)" : string.Empty);
            rows.Add([g.Name, owner, string.Empty, string.Empty, g.Verdict.ToUpperInvariant(), string.Join(" ", g.Problems)]);
            foreach (var r in g.Resources)
            {
                rows.Add([string.Empty, string.Empty, r.Resource, r.Kind, r.State == AwsPlacementState.Node ? r.Node! : r.State.ToString().ToLowerInvariant(), r.Detail]);
            }

            if (g.Lease is { } l)
            {
                var says = l.Answered
                    ? l.Owner is null && l.Epoch is null
                        ? "no lease"
                        : string.Create(CultureInfo.InvariantCulture, $"epoch {l.Epoch}{(l.AgeSeconds is { } age ? $", changed {age:0.#} s ago" : string.Empty)}{(l.UpdatedBy is null ? string.Empty : $" by {l.UpdatedBy}")} (table {table})")
                    : l.Detail;
                rows.Add([string.Empty, string.Empty, "lease", "dynamodb", l.Answered ? l.Owner ?? "released" : "unknown", says]);
            }
        }

        var widths = Enumerable.Range(0, 5).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => i < 5 ? cell.PadRight(widths[i]) : cell)).TrimEnd());
        }
    }

    /// <summary>One group: its owner by AWS (and the lease), each resource's placement, and the verdict.</summary>
    private sealed record GroupStatus(string Name, string? Owner, bool OwnedHere, string Verdict, IReadOnlyList<string> Problems, IReadOnlyList<AwsResourcePlacement> Resources, LeaseStatus? Lease)
    {
        public static GroupStatus Judge(string name, List<AwsResourcePlacement> resources, LeaseStatus? lease, TimeSpan leaseDuration, string? thisNode)
        {
            var problems = new List<string>();
            if (lease is { Answered: true, Owner: not null, AgeSeconds: { } age } && age > leaseDuration.TotalSeconds)
            {
                // The owner renews its item well within the lease: an older item means it stopped renewing, and another
                // node may take the group over at any moment.
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"The lease expired: not renewed for {age:0.#} s, longer than the lease ({leaseDuration.TotalSeconds:0.#} s, ClusterPro:Witness:LeaseDuration)."));
            }

            var unknown = resources.Any(r => r.State == AwsPlacementState.Unknown) || lease is { Answered: false };
            foreach (var r in resources.Where(r => r.State is AwsPlacementState.None or AwsPlacementState.Drifted))
            {
                problems.Add($"{r.Resource} {(r.State == AwsPlacementState.None ? "points nowhere" : "drifted")}.");
            }

            var owners = resources.Where(r => r.State == AwsPlacementState.Node).Select(r => r.Node!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (owners.Count > 1)
            {
                problems.Add($"AWS points at {string.Join(" and ", owners)}.");
            }

            var owner = owners.Count == 1 && problems.Count == 0 ? owners[0] : null;
            if (resources.Count == 0 && lease is { Answered: true, Owner: { } leaseOwner })
            {
                owner = leaseOwner;
            }
            else if (lease is { Answered: true } && owner is not null && !string.Equals(lease.Owner, owner, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"The lease is {(lease.Owner is null ? "not held" : "held by " + lease.Owner)}, but AWS points at {owner}.");
                owner = null;
            }

            if (owner is null && problems.Count == 0 && !unknown)
            {
                problems.Add("No AWS resource or lease says who owns it.");
            }

            // An owner is stated only when every read answered: one unread resource may point elsewhere.
            owner = unknown ? null : owner;
            var verdict = unknown ? "unknown" : problems.Count > 0 ? "drift" : "ok";
            return new GroupStatus(name, owner, owner is not null && string.Equals(owner, thisNode, StringComparison.OrdinalIgnoreCase), verdict, problems, resources, lease);
        }
    }

    /// <summary>A group's lease as the table holds it; the age is this machine's clock minus the writer's last write time.</summary>
    private sealed record LeaseStatus(bool Answered, string? Owner, long? Epoch, string? RecordVersion, string? UpdatedBy, DateTimeOffset? UpdatedAt, double? AgeSeconds, string Detail)
    {
        public static LeaseStatus From(DynamoDbLeaseDetail detail, DateTimeOffset now)
        {
            var record = detail.Lease.Record;
            double? age = detail.UpdatedAt is { } at ? Math.Round(Math.Max(0, (now - at).TotalSeconds), 1) : null;
            return new LeaseStatus(detail.Lease.Answered, record?.Owner, record?.Epoch, record?.RecordVersion, detail.UpdatedBy, detail.UpdatedAt, age, detail.Lease.Detail);
        }
    }
}
