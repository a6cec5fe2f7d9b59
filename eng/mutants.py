#!/usr/bin/env python3
"""Hand-written mutants of the failover core, each applied alone and run against the simulator.

Each mutant is one broken decision the simulator must catch: it is patched into src/ClusterPro.Core/Failover/Core,
the simulator is built (bin and obj in a folder of its own, so the working tree's builds are not touched) and runs every scripted
scenario and HISTORIES seeded histories (300 by default); the mutant is killed when any invariant breaks. The file is
put back whatever happens. Not part of CI (a few minutes a mutant on a 2-core machine).

    eng/mutants.py                      # every mutant
    eng/mutants.py no-fence-delay       # some of them, by name
    HISTORIES=1000 eng/mutants.py
"""
import os
import subprocess
import sys
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
CORE = os.path.join(ROOT, 'src', 'ClusterPro.Core', 'Failover', 'Core')
SIM = os.path.join(ROOT, 'tests', 'ClusterPro.Simulation')
OUT = os.path.join(ROOT, 'artifacts', 'mutants')

# (name, what it breaks, file, text to find, its replacement)
MUTANTS = [
    ('never-retry-fence', 'a failed fence is never tried again', 'FailoverCore.Fencing.cs',
     'peer.NextFenceAt = _t.Now + wait;', 'peer.NextFenceAt = TimeSpan.MaxValue;'),
    ('no-fence-delay', 'the lower-priority node fences at once (no fence delay)', 'FailoverCore.Partition.cs',
     'e.FenceNotBefore = _t.Now + (majority ? d.FenceDelay : d.FenceDelay * SelfRank);', 'e.FenceNotBefore = _t.Now;'),
    ('no-rank-fence-delay', 'without majority, every lower-priority node waits the same fence delay', 'FailoverCore.Partition.cs',
     'e.FenceNotBefore = _t.Now + (majority ? d.FenceDelay : d.FenceDelay * SelfRank);', 'e.FenceNotBefore = _t.Now + d.FenceDelay;'),
    ('accept-old-incarnation', 'heartbeats of a retired run are accepted', 'FailoverCore.Membership.cs',
     'else if (p.Retired.Contains(m.Incarnation))', 'else if (p.Retired.Contains(m.Incarnation) && false)'),
    ('activate-before-fence', 'a takeover that must fence activates before the fence completes', 'FailoverCore.Partition.cs',
     'if (!d.MustFence)\n        {\n            return true;\n        }', 'if (d.MustFence || !d.MustFence)\n        {\n            return true;\n        }'),
    ('ignore-epochs', 'claims are compared without their epochs', 'FailoverCore.Groups.cs',
     'var c = a.Epoch.CompareTo(b.Epoch);', 'var c = 0;'),
    ('renew-lost-lease', 'a renewal answered "not held" is taken as renewed', 'FailoverCore.Lease.cs',
     'case LeaseOutcome.NotHeld:\n                lease.Held = false;\n                lease.Releasing = false;\n                lease.LostTo = write.Current?.Owner;',
     'case LeaseOutcome.NotHeld:\n                lease.RenewedAt = sentAt;\n                lease.Deadline = sentAt + _s.LeaseDuration - _s.LeaseSafetyMargin;\n                lease.NextRenewAt = sentAt + _s.LeaseRenewInterval;\n                break;\n            case (LeaseOutcome)99:\n                lease.Held = false;\n                lease.Releasing = false;\n                lease.LostTo = write.Current?.Owner;'),
    ('unknown-renewal-renews', 'a renewal whose answer was lost extends the lease', 'FailoverCore.Lease.cs',
     'lease.NextRenewAt = _t.Now + (_s.HeartbeatInterval / 2);', 'lease.NextRenewAt = _t.Now + (_s.HeartbeatInterval / 2);\n                lease.Deadline = sentAt + _s.LeaseDuration - _s.LeaseSafetyMargin;'),
    ('no-lease-margin', 'the owner keeps the group until the lease could run out (no safety margin)', 'FailoverCore.Lease.cs',
     'lease.Deadline = sentAt + _s.LeaseDuration - _s.LeaseSafetyMargin;\n                lease.NextRenewAt = sentAt + _s.LeaseRenewInterval;\n                break;',
     'lease.Deadline = sentAt + _s.LeaseDuration + _s.LeaseSafetyMargin;\n                lease.NextRenewAt = sentAt + _s.LeaseRenewInterval;\n                break;'),
    ('lease-taken-early', 'a lease is taken after half a lease duration unchanged', 'FailoverCore.Lease.cs',
     '_t.Now - lease.ObservedSince >= _s.LeaseDuration;', '_t.Now - lease.ObservedSince >= _s.LeaseDuration / 2;'),
    ('release-never-deactivates', 'a release marks the group released without deactivating it', 'FailoverCore.Groups.cs',
     'SetMine(g, GroupClaimState.Deactivating, g.Mine!.Epoch);\n        g.Op = NextId();',
     'SetMine(g, target is null && !stop ? GroupClaimState.Released : GroupClaimState.Deactivating, g.Mine!.Epoch, target);\n        if (g.Mine.State == GroupClaimState.Released)\n        {\n            return;\n        }\n\n        g.Op = NextId();'),
    ('every-release-stops', 'every release stops the group for good (a final action that leaves groups stopped)', 'FailoverCore.Groups.cs',
     'SetMine(g, g.ReleaseStops ? GroupClaimState.Stopped : GroupClaimState.Released, epoch, g.ReleaseTarget, g.ReleaseFailed);',
     'SetMine(g, GroupClaimState.Stopped, epoch, g.ReleaseTarget, g.ReleaseFailed);'),
    ('minority-keeps-groups', 'a node on a minority side keeps its groups', 'FailoverCore.Groups.cs',
     'if (_standby)\n        {\n            return $"{Self} is on a minority side', 'if (_standby && false)\n        {\n            return $"{Self} is on a minority side'),
    ('never-yield', 'a holder never yields to a newer claim', 'FailoverCore.Groups.cs',
     'if (g.Best is { } best && g.Mine is { } mine && !ReferenceEquals(best, mine) && best.Epoch >= mine.Epoch)',
     'if (g.Best is { } best && g.Mine is { } mine && !ReferenceEquals(best, mine) && best.Epoch >= mine.Epoch && false)'),
    ('verdict-on-changing-view', 'a partition verdict is taken on a view that is still changing (issue 19, defect 1)', 'FailoverCore.Partition.cs',
     'if (_t.Now - e.StartedAt >= SettleTime)\n        {\n            return true;\n        }', 'if (_t.Now >= e.StartedAt)\n        {\n            return true;\n        }'),
    ('fence-result-thrown-away', 'a peer heard again while being fenced ends the loss (issue 19, defect 2)', 'FailoverCore.Partition.cs',
     'if (IsLost(p) || (p.FenceOp != 0 && _episode is { } current && (current.Mask & (1UL << i)) != 0))', 'if (IsLost(p))'),
    ('activation-outlives-lease', 'an activation step never asks about the lease (issue 19, defect 3)', 'FailoverCore.Lease.cs',
     'if (!_s.Witness)\n        {\n            return null;\n        }', 'if (_s.Witness || !_s.Witness)\n        {\n            return null;\n        }'),
    ('straggler-is-a-restart', 'a held-back heartbeat of a previous run is taken for a restart', 'FailoverCore.Membership.cs',
     '&& m.Sequence > p.Sequence)', '&& m.Sequence > p.Sequence && false)'),
    ('stale-fence-counts', 'a fence from long ago is enough for a takeover', 'FailoverCore.Fencing.cs',
     'p.FencedAt >= e.StartedAt && _t.Now - p.FencedAt <= _s.StartupWait;', 'p.FencedAt >= TimeSpan.Zero;'),
    ('no-orphan-grace', 'a group whose owner restarted without it is taken at once, before every view settles', 'FailoverCore.Groups.cs',
     'if (!immediate)\n            {', 'if (!immediate && false)\n            {'),
    ('no-relay', 'a peer heard only through another peer counts as lost', 'FailoverCore.Membership.cs',
     'else if (RelayedAlive(p))', 'else if (RelayedAlive(p) && false)'),
    ('no-last-home-rule', 'a node-wide final action is taken on the last node that can run a group', 'FailoverCore.Leaving.cs',
     'if (!OnMinoritySide() && LastHomeOf() is { } last)\n                {', 'if (!OnMinoritySide() && LastHomeOf() is { } last && false)\n                {'),
    ('unfenced-lease-takeover', 'with a witness and fencing, the new owner does not fence the previous one', 'FailoverCore.Lease.cs',
     'return _t.Now < lease.Deadline && (!_s.FencingConfigured || !OwesFence(g, fence: false));', 'return _t.Now < lease.Deadline;'),
    ('no-maintenance-handoff', 'in maintenance a group handed over by a node stopped in order is not taken', 'FailoverCore.Operator.cs',
     '&& g.Best is { State: GroupClaimState.Released, Target: { } to } handed && Is(to, Self)', '&& g.Best is { State: GroupClaimState.Released, Target: { } to } handed && Is(to, Self) && false'),
    ('maintenance-keeps-stuck', 'in maintenance a release that failed is not tried again', 'FailoverCore.Operator.cs',
     'if (_t.Now >= g.RetryReleaseAt)\n                {\n                    Release(', 'if (_t.Now >= g.RetryReleaseAt && false)\n                {\n                    Release('),
    ('maintenance-never-yields', 'in maintenance a holder never yields to a newer claim', 'FailoverCore.Operator.cs',
     'return g.Best is { Holding: true } best && g.Mine is { } mine', 'return false && g.Best is { Holding: true } best && g.Mine is { } mine'),
    ('unstandby-stale-view', 'a node taken off standby takes a group before it has heard its peers again', 'FailoverCore.Groups.cs',
     'if (!CaughtUpAfterStandby() ||', 'if (false ||'),
    ('lease-forgets-lost-peers', 'a new lease owner with fencing owes no fence to the lost peers that may hold the group', 'FailoverCore.Lease.cs',
     'if (g.CanRunRank[p.Rank] && IsLost(p) &&', 'if (g.CanRunRank[p.Rank] && IsLost(p) && false &&'),
    ('lease-fences-every-lost-peer', 'a new lease owner with fencing fences every lost peer, also one last heard holding nothing', 'FailoverCore.Lease.cs',
     'if (g.CanRunRank[p.Rank] && IsLost(p) && (!p.EverHeard ||', 'if (g.CanRunRank[p.Rank] && IsLost(p) && (true ||'),
    ('any-run-is-own-tenure', 'a lease taken back from an earlier run of this node keeps that run\'s fences owed as if known', 'FailoverCore.Lease.cs',
     'var ownTenure = previous is not null && Is(previous, Self) && (lease.Observed is not { } held || lease.Written.Contains(held.RecordVersion));',
     'var ownTenure = previous is not null && Is(previous, Self);'),
    ('lease-behind-claims', 'a lease whose epoch fell behind the claims is kept', 'FailoverCore.Lease.cs',
     'if (lease.Held && g.Best is { } best && best.Epoch >= lease.HeldEpoch', 'if (false && lease.Held && g.Best is { } best && best.Epoch >= lease.HeldEpoch'),
    ('cleanup-own-stop-only', 'a cleanup starts again only a group this node itself stopped', 'FailoverCore.Operator.cs',
     'else if (g.Best is { State: GroupClaimState.Stopped } stopped && g.Op == 0 && g.Mine is not { Holding: true })',
     'else if (g.Mine is { State: GroupClaimState.Stopped } stopped && g.Op == 0)'),
    ('probe-decides-in-maintenance', 'a partition probe that was out when maintenance began still decides', 'FailoverCore.Partition.cs',
     'if (_maintenance)\n            {\n                // Maintenance began', 'if (_maintenance && e.Attempts < 0)\n            {\n                // Maintenance began'),
    ('lease-released-mid-fence', 'a lease is let go while the fence owed for it is on its way', 'FailoverCore.Lease.cs',
     '(holding || aboutToActivate || FencingFor(lease))', '(holding || aboutToActivate)'),
    ('fenced-run-alive', 'a fenced run still counts as heard', 'FailoverCore.Membership.cs',
     '_t.Now - p.HeardAt <= _s.HeartbeatTimeout && !IsFenced(p);', '_t.Now - p.HeardAt <= _s.HeartbeatTimeout;'),
]


def run(args, log, timeout):
    with open(log, 'w') as f:
        try:
            return subprocess.run(args, cwd=ROOT, stdout=f, stderr=subprocess.STDOUT, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            return 'timeout'


def main():
    wanted = set(sys.argv[1:])
    histories = os.environ.get('HISTORIES', '300')
    os.makedirs(OUT, exist_ok=True)
    results = []
    for name, what, file, old, new in MUTANTS:
        if wanted and name not in wanted:
            continue
        path = os.path.join(CORE, file)
        original = open(path, encoding='utf-8').read()
        if original.count(old) != 1:
            results.append((name, 'NOT APPLIED', what, f'{file}: the text to mutate is not there once'))
            continue
        started = time.time()
        # Its own bin and obj (--artifacts-path): the working tree's builds never pick up a mutant, nor it theirs.
        build_dir = os.path.join(OUT, 'build')
        try:
            open(path, 'w', encoding='utf-8').write(original.replace(old, new))
            log = os.path.join(OUT, f'{name}.log')
            built = run(['dotnet', 'build', '-c', 'Release', SIM, '--artifacts-path', build_dir, '-p:UseAppHost=false'], log, 600)
            if built != 0:
                results.append((name, 'COMPILE ERROR', what, log))
                print(f'{name:28} COMPILE ERROR {log}', flush=True)
                continue
            sim = os.path.join(build_dir, 'bin', 'ClusterPro.Simulation', 'release', 'ClusterPro.Simulation.dll')
            scenarios = run(['dotnet', sim, '--scenario', 'all'], log + '.scenarios', 600)
            histories_rc = run(['dotnet', sim, '--histories', histories], log + '.histories', 900) if scenarios == 0 else 'skipped'
            killed = scenarios != 0 or histories_rc != 0
            by = 'scenarios' if scenarios != 0 else 'histories' if histories_rc != 0 else ''
            results.append((name, 'killed' if killed else 'SURVIVED', what, f'{by} {"(timeout)" if "timeout" in (scenarios, histories_rc) else ""} {time.time() - started:.0f} s'))
        finally:
            open(path, 'w', encoding='utf-8').write(original)
        print(f'{results[-1][0]:28} {results[-1][1]:12} {results[-1][3]}', flush=True)

    killed = sum(1 for r in results if r[1] == 'killed')
    print(f'\n{killed} of {len(results)} mutants killed')
    for name, status, what, detail in results:
        if status != 'killed':
            print(f'  {status}: {name} — {what} ({detail})')
    return 0 if killed == len(results) else 1


if __name__ == '__main__':
    sys.exit(main())
