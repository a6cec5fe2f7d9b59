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
            "ec2:DescribeRouteTables", "ec2:DescribeVpcs", "ec2:ReplaceRoute", "ec2:DescribeAddresses", "ec2:AssociateAddress", "ec2:DisassociateAddress", "ec2:DescribeAvailabilityZones",
            "ec2:DescribeNetworkInterfaces");
        var replace = statements.Single(s => Actions(s).Contains("ec2:ReplaceRoute"));
        Resources(replace).Should().Equal("arn:aws:ec2:*:*:route-table/*");
        replace.GetProperty("Condition").GetProperty("ArnLike").GetProperty("ec2:Vpc")[0].GetString().Should().Be("arn:aws:ec2:*:*:vpc/vpc-0bbbbbbbbbbbbbbb1");
        Resources(statements.Single(s => Actions(s).Contains("ec2:AssociateAddress"))).Should().BeEquivalentTo(
            "arn:aws:ec2:*:*:elastic-ip/eipalloc-0ccccccccccccccc1", "arn:aws:ec2:*:*:network-interface/eni-0aaaaaaaaaaaaaaa1", "arn:aws:ec2:*:*:network-interface/eni-0aaaaaaaaaaaaaaa2");
        Resources(statements.Single(s => Actions(s).Contains("ec2:DescribeVpcs"))).Should().Equal("*");
        statements.Where(s => Resources(s).Contains("*")).SelectMany(Actions).Should().OnlyContain(a => a.StartsWith("ec2:Describe", StringComparison.Ordinal));
    }

    [Fact]
    public void ToJson_WithoutPreflight_LeavesOutOnlyWhatDoctorAloneReads()
    {
        using var sp = Cluster(dns: true, witness: true);
        var policy = sp.GetRequiredService<AwsIamPolicy>();

        var all = ActionsOf(policy.ToJson());
        var withoutPreflight = ActionsOf(policy.ToJson(new AwsIamPolicyOptions { IncludePreflight = false }));

        all.Except(withoutPreflight).Should().BeEquivalentTo("ec2:DescribeAvailabilityZones", "ec2:DescribeNetworkInterfaces", "route53:GetHostedZone");
        policy.PreflightStatements.SelectMany(s => s.Actions).Distinct().Should().BeEquivalentTo("ec2:DescribeAvailabilityZones", "ec2:DescribeNetworkInterfaces", "route53:GetHostedZone");
        withoutPreflight.Should().Contain(["ec2:ReplaceRoute", "ec2:DescribeRouteTables", "route53:ChangeResourceRecordSets", "dynamodb:UpdateItem"]);
    }

    [Fact]
    public void ToJson_PreflightOnAZoneAndATable_StaysOnTheirArns()
    {
        using var sp = Cluster(dns: true, witness: true);

        using var policy = JsonDocument.Parse(sp.GetRequiredService<AwsIamPolicy>().ToJson());

        var statements = policy.RootElement.GetProperty("Statement").EnumerateArray().ToList();
        var zone = statements.Single(s => s.GetProperty("Action").EnumerateArray().Any(a => a.GetString() == "route53:GetHostedZone"));
        zone.GetProperty("Resource").GetString().Should().Be("arn:aws:route53:::hostedzone/Z0EXAMPLE");
        zone.GetProperty("Action").EnumerateArray().Select(a => a.GetString()).Should().BeEquivalentTo("route53:GetHostedZone", "route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets");
        var table = statements.Single(s => s.GetProperty("Action").EnumerateArray().Any(a => a.GetString()!.StartsWith("dynamodb:", StringComparison.Ordinal)));
        table.GetProperty("Resource").GetString().Should().Be("arn:aws:dynamodb:*:*:table/clusterpro-witness");
    }

    private static ServiceProvider Cluster(bool dns, bool witness)
    {
        var services = new ServiceCollection();
        services.AddSingleton(new Mock<IAmazonEC2>().Object);
        var enis = new PerNode<string>().For("node1", "eni-0aaaaaaaaaaaaaaa1").For("node2", "eni-0aaaaaaaaaaaaaaa2");
        var builder = services.AddClusterPro(o => o.AddNode("node1").AddNode("node2"))
            .AddAwsVirtualIp("failover1", "awsvip1", o => { o.Ip = "10.1.0.20"; o.VpcId = "vpc-0bbbbbbbbbbbbbbb1"; o.EniId = enis; });
        if (dns)
        {
            builder.AddAwsDns("failover1", "awsdns1", o => { o.HostedZoneId = "Z0EXAMPLE"; o.RecordName = "srv.example.com."; o.Ip = "10.0.0.1"; });
        }

        if (witness)
        {
            builder.AddDynamoDbWitness(o => o.Table = "clusterpro-witness");
        }

        return services.BuildServiceProvider();
    }

    private static List<string> ActionsOf(string json)
    {
        using var policy = JsonDocument.Parse(json);
        return policy.RootElement.GetProperty("Statement").EnumerateArray().SelectMany(s => s.GetProperty("Action").EnumerateArray().Select(a => a.GetString()!)).Distinct().ToList();
    }
}
