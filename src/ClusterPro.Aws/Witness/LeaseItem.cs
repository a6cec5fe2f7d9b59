using System.Globalization;
using Amazon.DynamoDBv2.Model;
using ClusterPro.Witness;

namespace ClusterPro.Aws.Witness;

/// <summary>
/// The witness table's item layout: one item per group, keyed by <c>group</c> (S). The lease is <c>owner</c> (S,
/// absent once released), <c>rvn</c> (S, the record version, rewritten by every write) and <c>epoch</c> (N). The
/// attributes <c>updated_by</c>, <c>lease_ms</c> and <c>updated_at</c> are for operators reading the table; the
/// product never decides anything from them (expiry is judged by the reader's own clock, never a stored time).
/// Every expression names attributes through <c>#</c> aliases: <c>group</c> and <c>owner</c> are DynamoDB reserved words.
/// </summary>
internal static class LeaseItem
{
    public const string Group = "group";
    public const string Owner = "owner";
    public const string RecordVersion = "rvn";
    public const string Epoch = "epoch";
    public const string UpdatedBy = "updated_by";
    public const string LeaseMilliseconds = "lease_ms";
    public const string UpdatedAt = "updated_at";

    /// <summary>The key prefix of the network-partition resolver's per-node probe items (a configured group name never holds ':').</summary>
    public const string ProbePrefix = "probe:";

    public static AttributeValue S(string value) => new() { S = value };

    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static Dictionary<string, AttributeValue> Key(string group) => new(StringComparer.Ordinal) { [Group] = S(group) };

    public static string Now(TimeProvider time) => time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Reads a lease from an item; <see langword="null"/> with <paramref name="problem"/> when the item is not a lease.</summary>
    public static LeaseRecord? Parse(string group, Dictionary<string, AttributeValue>? item, out string? problem)
    {
        problem = null;
        if (item is null || item.Count == 0)
        {
            return null;
        }

        var rvn = item.TryGetValue(RecordVersion, out var r) ? r.S : null;
        var epochText = item.TryGetValue(Epoch, out var e) ? e.N : null;
        var owner = item.TryGetValue(Owner, out var o) ? o.S : null;
        if (string.IsNullOrEmpty(rvn) || !long.TryParse(epochText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
        {
            var found = string.Join(", ", item.Keys.Order(StringComparer.Ordinal));
            problem = $"the item for group '{group}' is not a lease: it needs '{RecordVersion}' (a string) and '{Epoch}' (a number), and has {found}";
            return null;
        }

        return new LeaseRecord(group, string.IsNullOrEmpty(owner) ? null : owner, rvn, epoch);
    }

    /// <summary>The fields written for operators: who wrote the item last, when by its clock, the lease duration it used.</summary>
    public static (string? UpdatedBy, DateTimeOffset? UpdatedAt, TimeSpan? LeaseDuration) Operators(Dictionary<string, AttributeValue>? item)
    {
        if (item is null || item.Count == 0)
        {
            return (null, null, null);
        }

        var by = item.TryGetValue(UpdatedBy, out var b) && !string.IsNullOrEmpty(b.S) ? b.S : null;
        DateTimeOffset? at = item.TryGetValue(UpdatedAt, out var a) && DateTimeOffset.TryParse(a.S, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) ? parsed : null;
        TimeSpan? lease = item.TryGetValue(LeaseMilliseconds, out var l) && long.TryParse(l.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? TimeSpan.FromMilliseconds(ms) : null;
        return (by, at, lease);
    }

    /// <summary>A lease in words: <c>owner node1, epoch 3, rvn 9f…</c>, or <c>released, epoch 3, rvn 9f…</c>.</summary>
    public static string Describe(LeaseRecord? record) =>
        record is null
            ? "no lease"
            : string.Create(CultureInfo.InvariantCulture, $"{(record.Owner is null ? "released" : "owner " + record.Owner)}, epoch {record.Epoch}, rvn {record.RecordVersion}");
}
