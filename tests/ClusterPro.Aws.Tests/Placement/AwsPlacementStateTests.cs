using ClusterPro.Aws.Placement;

namespace ClusterPro.Aws.Tests.Placement;

/// <summary>The placement states: the default value claims nothing.</summary>
public class AwsPlacementStateTests
{
    [Fact]
    public void Default_IsUnknown_NotANode()
    {
        default(AwsPlacementState).Should().Be(AwsPlacementState.Unknown, "an unset state must not read as owned by a node");
    }
}
