using ClusterPro.Monitoring;

namespace ClusterPro.Core.Tests.Monitoring;

public class RecoveryEscalationTests
{
    [Fact]
    public void Next_WithThresholds_WalksTheLadderOnce()
    {
        var ladder = new RecoveryEscalation(new RecoveryOptions { ReactivationThreshold = 2, FailoverThreshold = 2 });

        var steps = Enumerable.Range(0, 6).Select(_ => ladder.Next()).ToList();

        steps.Should().Equal(RecoveryStep.Reactivate, RecoveryStep.Reactivate, RecoveryStep.Failover, RecoveryStep.Failover, RecoveryStep.FinalAction, RecoveryStep.Exhausted);
    }

    [Fact]
    public void Reset_StartsTheLadderAgain()
    {
        var ladder = new RecoveryEscalation(new RecoveryOptions { ReactivationThreshold = 0, FailoverThreshold = 0 });
        ladder.Next().Should().Be(RecoveryStep.FinalAction);

        ladder.Reset();

        ladder.FinalActionTaken.Should().BeFalse();
        ladder.Next().Should().Be(RecoveryStep.FinalAction);
    }
}
