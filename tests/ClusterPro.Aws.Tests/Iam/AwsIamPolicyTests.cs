using System.Text.Json;
using Amazon.EC2;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Iam;
using ClusterPro.DependencyInjection;
using ClusterPro.Resources;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace ClusterPro.Aws.Tests.Iam;

public class AwsIamPolicyTests
{
    [Fact]
    public void ToJson_CanonicalCluster_ListsOnlyTheActionsItCalls_ScopedWhereEc2Allows()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new Mock<IAmazonEC2>().Object);
        var enis = new PerNode<string>().For("node1", "eni-0aaaaaaaaaaaaaaa1").For("node2", "eni-0aaaaaaaaaaaaaaa2");
        services.AddClusterPro(o => o.AddNode("node1").AddNode("node2"))
            .AddAwsVirtualIp("failover1", "awsvip1", o => { o.Ip = "10.1.0.20"; o.VpcId = "vpc-0bbbbbbbbbbbbbbb1"; o.EniId = enis; })
            .AddAwsElasticIp("failover1", "awseip1", o => { o.AllocationId = "eipalloc-0ccccccccccccccc1"; o.EniId = enis; })
            .AddAwsAzMonitor("awsazw1", o => o.AvailabilityZone = "ap-northeast-1a");
        using var sp = services.BuildServiceProvider();

        using var policy = JsonDocument.Parse(sp.GetRequiredService<AwsIamPolicy>().ToJson());

        var statements = policy.RootElement.GetProperty("Statement").EnumerateArray().ToList();
        string[] Actions(JsonElement s) => s.GetProperty("Action").EnumerateArray().Select(a => a.GetString()!).ToArray();
        string[] Resources(JsonElement s) => s.GetProperty("Resource").ValueKind == JsonValueKind.String ? [s.GetProperty("Resource").GetString()!] : s.GetProperty("Resource").EnumerateArray().Select(a => a.GetString()!).ToArray();
        statements.SelectMany(Actions).Should().BeEquivalentTo(
            "ec2:DescribeRouteTables", "ec2:DescribeVpcs", "ec2:ReplaceRoute", "ec2:DescribeAddresses", "ec2:AssociateAddress", "ec2:DisassociateAddress", "ec2:DescribeAvailabilityZones");
        var replace = statements.Single(s => Actions(s).Contains("ec2:ReplaceRoute"));
        Resources(replace).Should().Equal("arn:aws:ec2:*:*:route-table/*");
        replace.GetProperty("Condition").GetProperty("ArnLike").GetProperty("ec2:Vpc")[0].GetString().Should().Be("arn:aws:ec2:*:*:vpc/vpc-0bbbbbbbbbbbbbbb1");
        Resources(statements.Single(s => Actions(s).Contains("ec2:AssociateAddress"))).Should().BeEquivalentTo(
            "arn:aws:ec2:*:*:elastic-ip/eipalloc-0ccccccccccccccc1", "arn:aws:ec2:*:*:network-interface/eni-0aaaaaaaaaaaaaaa1", "arn:aws:ec2:*:*:network-interface/eni-0aaaaaaaaaaaaaaa2");
        Resources(statements.Single(s => Actions(s).Contains("ec2:DescribeVpcs"))).Should().Equal("*");
        statements.Where(s => Resources(s).Contains("*")).SelectMany(Actions).Should().OnlyContain(a => a.StartsWith("ec2:Describe", StringComparison.Ordinal));
    }
}
