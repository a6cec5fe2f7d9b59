using ClusterPro.Witness;

namespace ClusterPro.TestSupport;

/// <summary>
/// An in-memory witness for tests of the failover manager's loops: the same conditions as the DynamoDB store (acquire
/// on the observed record version or on absence, renew and release as the owner in its epoch), one lock for strong
/// consistency, and a switch that makes every call answer "unknown" (the table unreachable).
/// </summary>
public sealed class InMemoryGroupLeaseStore : IGroupLeaseStore
{
    private readonly Dictionary<string, LeaseRecord> _leases = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>While true, every call gives no usable answer and changes nothing.</summary>
    public bool Unreachable { get; set; }

    /// <summary>The lease of <paramref name="group"/> as stored, or null.</summary>
    /// <param name="group">The group.</param>
    /// <returns>The record.</returns>
    public LeaseRecord? this[string group]
    {
        get
        {
            lock (_leases)
            {
                return _leases.GetValueOrDefault(group);
            }
        }
    }

    /// <inheritdoc />
    public Task<LeaseRead> ReadAsync(string group, CancellationToken cancellationToken = default)
    {
        lock (_leases)
        {
            return Task.FromResult(Unreachable ? LeaseRead.NoAnswer("unreachable") : new LeaseRead(true, _leases.GetValueOrDefault(group), "read"));
        }
    }

    /// <inheritdoc />
    public Task<LeaseWrite> AcquireAsync(LeaseAcquisition request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_leases)
        {
            if (Unreachable)
            {
                return Task.FromResult(LeaseWrite.Unknown("unreachable"));
            }

            var current = _leases.GetValueOrDefault(request.Group);
            if ((request.ExpectedRecordVersion is null && current is null) || (request.ExpectedRecordVersion is not null && current?.RecordVersion == request.ExpectedRecordVersion))
            {
                _leases[request.Group] = new LeaseRecord(request.Group, request.Owner, request.RecordVersion, request.Epoch);
                return Task.FromResult(new LeaseWrite(LeaseOutcome.Held, null, "acquired"));
            }

            return Task.FromResult(new LeaseWrite(LeaseOutcome.NotHeld, current, "the lease changed"));
        }
    }

    /// <inheritdoc />
    public Task<LeaseWrite> RenewAsync(string group, string owner, long epoch, string recordVersion, CancellationToken cancellationToken = default) =>
        Write(group, owner, epoch, current => current with { RecordVersion = recordVersion });

    /// <inheritdoc />
    public Task<LeaseWrite> ReleaseAsync(string group, string owner, long epoch, string recordVersion, CancellationToken cancellationToken = default) =>
        Write(group, owner, epoch, current => current with { Owner = null, RecordVersion = recordVersion });

    private Task<LeaseWrite> Write(string group, string owner, long epoch, Func<LeaseRecord, LeaseRecord> change)
    {
        lock (_leases)
        {
            if (Unreachable)
            {
                return Task.FromResult(LeaseWrite.Unknown("unreachable"));
            }

            var current = _leases.GetValueOrDefault(group);
            if (current is null || current.Owner != owner || current.Epoch != epoch)
            {
                return Task.FromResult(new LeaseWrite(LeaseOutcome.NotHeld, current, "not the owner"));
            }

            _leases[group] = change(current);
            return Task.FromResult(new LeaseWrite(LeaseOutcome.Held, null, "done"));
        }
    }
}
