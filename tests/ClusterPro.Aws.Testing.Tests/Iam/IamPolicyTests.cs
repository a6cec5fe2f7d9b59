using ClusterPro.Aws.Testing.Iam;

namespace ClusterPro.Aws.Testing.Tests.Iam;

public class IamPolicyTests
{
    private const string Table = "arn:aws:ec2:ap-northeast-1:123456789012:route-table/rtb-1";
    private static readonly Dictionary<string, string> NoContext = [];

    private static IamDecision Decide(string policy, string action, string resource = "*", IReadOnlyDictionary<string, string>? context = null) =>
        IamPolicy.Parse(policy).Evaluate(new IamRequest(action, [resource], context ?? NoContext)).Decision;

    private static string Policy(params string[] statements) => $$"""{"Version":"2012-10-17","Statement":[{{string.Join(',', statements)}}]}""";

    [Theory]
    [InlineData("ec2:Describe*", "ec2:DescribeNetworkInterfaces", true)]
    [InlineData("ec2:describe*", "ec2:DescribeVpcs", true)]
    [InlineData("ec2:Describe?pcs", "ec2:DescribeVpcs", true)]
    [InlineData("*", "dynamodb:GetItem", true)]
    [InlineData("ec2:Describe*", "ec2:ReplaceRoute", false)]
    [InlineData("ec2:DescribeVpcs", "ec2:DescribeVpcsX", false)]
    public void Evaluate_ActionWildcards_MatchAsIamDoes(string pattern, string action, bool allowed) =>
        Decide(Policy($$"""{"Effect":"Allow","Action":"{{pattern}}","Resource":"*"}"""), action).Should().Be(allowed ? IamDecision.Allowed : IamDecision.ImplicitDeny);

    [Fact]
    public void Evaluate_DenyAndAllowBothMatch_DenyWins()
    {
        var policy = Policy(
            """{"Effect":"Allow","Action":"ec2:*","Resource":"*"}""",
            """{"Effect":"Deny","Action":"ec2:ReplaceRoute","Resource":"arn:aws:ec2:*:*:route-table/rtb-1"}""");

        Decide(policy, "ec2:ReplaceRoute", Table).Should().Be(IamDecision.ExplicitDeny);
        Decide(policy, "ec2:ReplaceRoute", Table.Replace("rtb-1", "rtb-2", StringComparison.Ordinal)).Should().Be(IamDecision.Allowed);
    }

    [Fact]
    public void Evaluate_ResourceArns_MatchWithWildcardsAndCaseSensitively()
    {
        var policy = Policy("""{"Effect":"Allow","Action":["ec2:ReplaceRoute"],"Resource":["arn:aws:ec2:*:*:route-table/rtb-1","arn:aws:ec2:ap-northeast-1:*:instance/i-?"]}""");

        Decide(policy, "ec2:ReplaceRoute", Table).Should().Be(IamDecision.Allowed);
        Decide(policy, "ec2:ReplaceRoute", "arn:aws:ec2:ap-northeast-1:123456789012:instance/i-7").Should().Be(IamDecision.Allowed);
        Decide(policy, "ec2:ReplaceRoute", "arn:aws:ec2:ap-northeast-1:123456789012:instance/i-77").Should().Be(IamDecision.ImplicitDeny);
        Decide(policy, "ec2:ReplaceRoute", Table.Replace("rtb-1", "RTB-1", StringComparison.Ordinal)).Should().Be(IamDecision.ImplicitDeny);
        Decide(policy, "ec2:ReplaceRoute", "*").Should().Be(IamDecision.ImplicitDeny, "an action without resource-level permissions needs Resource \"*\"");
    }

    [Fact]
    public void Evaluate_NothingMatches_IsAnImplicitDeny_AndAnEmptyPolicyDeniesEverything()
    {
        Decide(Policy("""{"Effect":"Allow","Action":"route53:GetHostedZone","Resource":"arn:aws:route53:::hostedzone/Z1"}"""), "route53:GetHostedZone", "arn:aws:route53:::hostedzone/Z2")
            .Should().Be(IamDecision.ImplicitDeny);
        Decide("""{"Version":"2012-10-17","Statement":[]}""", "ec2:DescribeVpcs").Should().Be(IamDecision.ImplicitDeny);
    }

    [Fact]
    public void Evaluate_NotActionAndNotResource_InvertTheMatch()
    {
        var policy = Policy(
            """{"Effect":"Allow","NotAction":"ec2:StopInstances","Resource":"*"}""",
            """{"Effect":"Deny","Action":"ec2:*","NotResource":"arn:aws:ec2:*:*:route-table/*"}""");

        Decide(policy, "ec2:ReplaceRoute", Table).Should().Be(IamDecision.Allowed);
        Decide(policy, "ec2:StopInstances", Table).Should().Be(IamDecision.ImplicitDeny);
        Decide(policy, "ec2:ReplaceRoute", "arn:aws:ec2:ap-northeast-1:123456789012:instance/i-1").Should().Be(IamDecision.ExplicitDeny);
    }

    [Theory]
    [InlineData("arn:aws:ec2:*:*:instance/*", true)]
    [InlineData("arn:aws:ec2:ap-northeast-1:123456789012:instance/i-?", true)]
    [InlineData("arn:aws:ec2:*:123456789012:*", true)]
    [InlineData("arn:aws:ec2:ap-*", true)]
    [InlineData("arn:aws:ec2:*", true)]
    [InlineData("*", true)]
    [InlineData("arn:aws:ec2:*:instance/*", false)]
    [InlineData("arn:aws:*:123456789012:instance/i-1", false)]
    [InlineData("arn:aws:ec2:ap-*:instance/i-1", false)]
    [InlineData("arn:aws:ec2:*:*:*:instance/i-1", false)]
    [InlineData("arn:aws:ec2:*:*:INSTANCE/*", false)]
    public void Evaluate_ResourceArn_IsMatchedPartByPart_SoAWildcardDoesNotSpanTheColonsBetweenParts(string pattern, bool allowed) =>
        Decide(Policy($$"""{"Effect":"Allow","Action":"ec2:StopInstances","Resource":"{{pattern}}"}"""), "ec2:StopInstances", "arn:aws:ec2:ap-northeast-1:123456789012:instance/i-1")
            .Should().Be(allowed ? IamDecision.Allowed : IamDecision.ImplicitDeny);

    [Fact]
    public void Evaluate_ResourcePartOfTheArn_KeepsItsOwnColons()
    {
        var policy = Policy("""{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"arn:aws:logs:*:*:log-group:clusterpro:*"}""");

        Decide(policy, "logs:PutLogEvents", "arn:aws:logs:ap-northeast-1:123456789012:log-group:clusterpro:log-stream:node1").Should().Be(IamDecision.Allowed);
        Decide(policy, "logs:PutLogEvents", "arn:aws:logs:ap-northeast-1:123456789012:log-group:other:log-stream:node1").Should().Be(IamDecision.ImplicitDeny);
    }

    [Theory]
    [InlineData("ArnLike", "arn:aws:ec2:*:*:vpc/vpc-1", true)]
    [InlineData("ArnEquals", "arn:aws:ec2:*:*:vpc/vpc-1", true)]
    [InlineData("ArnLike", "arn:aws:ec2:*:vpc/vpc-1", false)]
    [InlineData("ArnEquals", "arn:aws:ec2:*:vpc/vpc-1", false)]
    [InlineData("ArnLike", "arn:aws:*:vpc/vpc-1", false)]
    [InlineData("ArnNotLike", "arn:aws:ec2:*:vpc/vpc-1", true)]
    public void Evaluate_ArnConditions_MatchPartByPart(string op, string pattern, bool allowed)
    {
        var policy = Policy("""{"Effect":"Allow","Action":"ec2:ReplaceRoute","Resource":"*","Condition":{"OP":{"ec2:Vpc":"PATTERN"}}}""".Replace("OP", op, StringComparison.Ordinal).Replace("PATTERN", pattern, StringComparison.Ordinal));

        Decide(policy, "ec2:ReplaceRoute", Table, new Dictionary<string, string> { ["ec2:Vpc"] = "arn:aws:ec2:ap-northeast-1:123456789012:vpc/vpc-1" })
            .Should().Be(allowed ? IamDecision.Allowed : IamDecision.ImplicitDeny);
    }

    [Fact]
    public void Evaluate_RequestNamingNoResource_IsEvaluatedAgainstStar_NotAllowedForWantOfAResource()
    {
        static IamDecision NoResource(string resource) =>
            IamPolicy.Parse(Policy($$"""{"Effect":"Allow","Action":"ec2:StopInstances","Resource":"{{resource}}"}"""))
                .Evaluate(new IamRequest("ec2:StopInstances", [], NoContext)).Decision;

        NoResource("arn:aws:ec2:*:*:instance/i-1").Should().Be(IamDecision.ImplicitDeny);
        NoResource("*").Should().Be(IamDecision.Allowed);
        IamPolicy.Parse(Policy("""{"Effect":"Allow","Action":"ec2:DescribeVpcs","Resource":"*"}""")).Evaluate(new IamRequest("ec2:StopInstances", [], NoContext)).Decision
            .Should().Be(IamDecision.ImplicitDeny);
    }

    [Fact]
    public void Evaluate_ArnLikeOnEc2Vpc_AllowsOnlyTheNamedVpc_AndAnAbsentKeyFailsTheCondition()
    {
        var policy = Policy("""{"Effect":"Allow","Action":"ec2:ReplaceRoute","Resource":"arn:aws:ec2:*:*:route-table/*","Condition":{"ArnLike":{"ec2:Vpc":["arn:aws:ec2:*:*:vpc/vpc-1"]}}}""");

        Decide(policy, "ec2:ReplaceRoute", Table, new Dictionary<string, string> { ["ec2:Vpc"] = "arn:aws:ec2:ap-northeast-1:123456789012:vpc/vpc-1" }).Should().Be(IamDecision.Allowed);
        Decide(policy, "ec2:ReplaceRoute", Table, new Dictionary<string, string> { ["ec2:Vpc"] = "arn:aws:ec2:ap-northeast-1:123456789012:vpc/vpc-2" }).Should().Be(IamDecision.ImplicitDeny);
        Decide(policy, "ec2:ReplaceRoute", Table).Should().Be(IamDecision.ImplicitDeny);
    }

    [Fact]
    public void Evaluate_NegatedAndIfExistsConditions_HoldWhenTheKeyIsAbsent()
    {
        var policy = Policy(
            """{"Effect":"Allow","Action":"ec2:*","Resource":"*"}""",
            """{"Effect":"Deny","Action":"ec2:*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"ap-northeast-1"}}}""");

        Decide(policy, "ec2:DescribeVpcs", "*", new Dictionary<string, string> { ["aws:RequestedRegion"] = "ap-northeast-1" }).Should().Be(IamDecision.Allowed);
        Decide(policy, "ec2:DescribeVpcs", "*", new Dictionary<string, string> { ["aws:RequestedRegion"] = "us-east-1" }).Should().Be(IamDecision.ExplicitDeny);
        Decide(
            Policy("""{"Effect":"Allow","Action":"ec2:*","Resource":"*","Condition":{"StringEqualsIfExists":{"ec2:Vpc":"x"}}}"""),
            "ec2:DescribeVpcs").Should().Be(IamDecision.Allowed);
    }

    [Fact]
    public void Evaluate_SeveralResources_EachMustBeAllowed()
    {
        var policy = IamPolicy.Parse(Policy("""{"Effect":"Allow","Action":"ec2:AssociateAddress","Resource":"arn:aws:ec2:*:*:elastic-ip/eipalloc-1"}"""));

        var verdict = policy.Evaluate(new IamRequest("ec2:AssociateAddress", ["arn:aws:ec2:r:1:elastic-ip/eipalloc-1", "arn:aws:ec2:r:1:network-interface/eni-1"], NoContext));

        verdict.Should().Be(new IamVerdict(IamDecision.ImplicitDeny, "arn:aws:ec2:r:1:network-interface/eni-1"));
    }

    [Theory]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}}""", "IpAddress")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"x"}}}}""", "aws:PrincipalTag/team")]
    [InlineData("""{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}""", "Principal")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:iam::*:user/${aws:username}"}}""", "policy variable")]
    [InlineData("""{"Statement":{"Effect":"Permit","Action":"*","Resource":"*"}}""", "Effect 'Permit'")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"*"}}""", "Resource and NotResource")]
    [InlineData("""{"Version":"2012-10-17"}""", "no Statement")]
    [InlineData("not json", "not JSON")]
    public void Parse_WhatTheEmulatorCannotEvaluate_IsRefusedNamingIt(string policy, string named)
    {
        var act = () => IamPolicy.Parse(policy);

        act.Should().Throw<ArgumentException>().WithMessage($"*{named}*");
    }
}
