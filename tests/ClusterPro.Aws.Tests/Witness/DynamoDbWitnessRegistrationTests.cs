using System.Text;
using System.Text.Json;
using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Extensions.NETCore.Setup;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Iam;
using ClusterPro.Aws.Testing;
using ClusterPro.Aws.Witness;
using ClusterPro.DependencyInjection;
using ClusterPro.Witness;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;

namespace ClusterPro.Aws.Tests.Witness;

/// <summary>The witness through configuration and code: the store, the client, the start-up checks and the IAM statements.</summary>
[Collection("environment")]
public class DynamoDbWitnessRegistrationTests
{
    private static IConfiguration Json(string witness) => new ConfigurationBuilder()
        .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes($$"""{ "ClusterPro": { "Nodes": [ { "Name": "node1" }, { "Name": "node2" } ], "Witness": {{witness}} } }""")))
        .Build();

    private static ServiceProvider Compose(IConfiguration configuration, Action<IServiceCollection>? before = null, Action<IClusterProBuilder>? after = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(new Mock<Amazon.EC2.IAmazonEC2>().Object);
        before?.Invoke(services);
        var builder = services.AddClusterPro(configuration).AddAwsFromConfiguration(configuration);
        after?.Invoke(builder);
        return services.BuildServiceProvider();
    }

    private static string StartupErrors(ServiceProvider sp)
    {
        var act = () => sp.GetRequiredService<IStartupValidator>().Validate();
        return act.Should().Throw<OptionsValidationException>().Which.Message;
    }

    [Fact]
    public async Task AddAwsFromConfiguration_TypeDynamoDb_RegistersTheStore_OnTheSdksEndpointOverride_SignedForTheRegion()
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { DnsPort = -1, Region = "eu-west-1" });
        using (var db = emu.CreateDynamoDbClient())
        {
            await db.CreateTableAsync(new Amazon.DynamoDBv2.Model.CreateTableRequest
            {
                TableName = "leases",
                BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = [new Amazon.DynamoDBv2.Model.KeySchemaElement("group", KeyType.HASH)],
                AttributeDefinitions = [new Amazon.DynamoDBv2.Model.AttributeDefinition("group", ScalarAttributeType.S)],
            });
        }

        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB", emu.Endpoint.ToString());
        try
        {
            await using var sp = Compose(
                Json("""{ "Type": "dynamodb", "Table": "leases", "AwsCallTimeout": "00:00:03", "LeaseDuration": "00:00:12" }"""),
                s => s.AddDefaultAWSOptions(new AWSOptions { Region = RegionEndpoint.EUWest1, Credentials = emu.Credentials }));
            sp.GetRequiredService<IStartupValidator>().Validate();
            var store = sp.GetRequiredService<IGroupLeaseStore>();

            var write = await store.AcquireAsync(new LeaseAcquisition("failover1", "node1", null, "rvn-1", 1));

            store.Should().BeOfType<DynamoDbGroupLeaseStore>().Which.Table.Should().Be("leases");
            write.Outcome.Should().Be(LeaseOutcome.Held, write.Detail);
            var client = sp.GetRequiredService<IAmazonDynamoDB>();
            client.Config.AuthenticationRegion.Should().Be("eu-west-1");
            client.Config.RetryMode.Should().Be(Amazon.Runtime.RequestRetryMode.Standard);
            emu.Calls.Last().Should().Match<Testing.Hosting.EmulatorCall>(c => c.Operation == "PutItem" && c.Region == "eu-west-1" && c.Service == "dynamodb");
            sp.GetRequiredService<IOptions<ClusterProOptions>>().Value.Witness.AwsCallTimeout.Should().Be(TimeSpan.FromSeconds(3));
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB", null);
        }
    }

    [Fact]
    public void AddAwsFromConfiguration_WithoutAWitness_RegistersNoStore()
    {
        using var sp = Compose(Json("{}"));

        sp.GetService<IGroupLeaseStore>().Should().BeNull();
        sp.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void AddDynamoDbWitness_InCode_SetsTheType_AndTheHostsOwnClientAndStoreWin()
    {
        var client = new Mock<IAmazonDynamoDB>().Object;
        var store = new Mock<IGroupLeaseStore>().Object;
        var services = new ServiceCollection();
        services.AddSingleton(client);
        services.AddClusterPro(o => o.AddNode("node1").AddNode("node2"))
            .AddDynamoDbWitness(o => o.Table = "leases")
            .AddDynamoDbWitness();
        using var sp = services.BuildServiceProvider();
        var mine = new ServiceCollection();
        mine.AddSingleton(store);
        mine.AddClusterPro(o => o.AddNode("node1")).AddDynamoDbWitness(o => o.Table = "leases");
        using var own = mine.BuildServiceProvider();

        sp.GetRequiredService<IStartupValidator>().Validate();
        var witness = sp.GetRequiredService<IOptions<ClusterProOptions>>().Value.Witness;
        witness.Type.Should().Be("dynamodb");
        witness.Table.Should().Be("leases");
        sp.GetRequiredService<IAmazonDynamoDB>().Should().BeSameAs(client);
        sp.GetServices<IGroupLeaseStore>().Should().ContainSingle().Which.Should().BeOfType<DynamoDbGroupLeaseStore>();
        sp.GetServices<IAwsIamPolicyContributor>().OfType<WitnessPolicy>().Should().ContainSingle("adding the witness twice registers it once");
        own.GetRequiredService<IGroupLeaseStore>().Should().BeSameAs(store);
    }

    [Theory]
    [InlineData("my table", "ClusterPro:Witness:Table is 'my table', which DynamoDB does not accept as a table name; use 3 to 255 characters of letters, digits, '_', '-' and '.' (e.g. clusterpro-witness).")]
    [InlineData("ab", "ClusterPro:Witness:Table is 'ab', which DynamoDB does not accept as a table name;")]
    [InlineData("leases/1", "ClusterPro:Witness:Table is 'leases/1', which DynamoDB does not accept")]
    public void StartUp_ATableNameDynamoDbRefuses_NamesTheSettingAndTheFix(string table, string message)
    {
        using var sp = Compose(Json($$"""{ "Type": "dynamodb", "Table": "{{table}}" }"""));

        StartupErrors(sp).Should().Contain(message);
    }

    [Fact]
    public void StartUp_ALongestTableName_IsAccepted()
    {
        using var sp = Compose(Json($$"""{ "Type": "dynamodb", "Table": "{{new string('a', 255)}}" }"""));

        sp.GetRequiredService<IStartupValidator>().Validate();
        DynamoDbWitnessValidator.TableNameProblem(new string('a', 256)).Should().NotBeNull();
        DynamoDbWitnessValidator.TableNameProblem("Clusterpro_Witness.v1-a").Should().BeNull();
    }

    [Fact]
    public void StartUp_AnotherType_WithoutAStoreOfTheHosts_NamesTheSettingAndTheValidValue()
    {
        using var sp = Compose(Json("""{ "Type": "etcd", "Table": "leases" }"""));

        StartupErrors(sp).Should().Contain("ClusterPro:Witness:Type is 'etcd', which is not a witness ClusterPro.Aws provides; use dynamodb (a DynamoDB table holding one lease per group, named in ClusterPro:Witness:Table), or register your own IGroupLeaseStore for 'etcd'.");
        sp.GetService<IGroupLeaseStore>().Should().BeNull();
    }

    [Fact]
    public void StartUp_AnotherType_WithTheHostsOwnStore_IsAccepted()
    {
        using var sp = Compose(Json("""{ "Type": "etcd", "Table": "leases" }"""), s => s.AddSingleton(new Mock<IGroupLeaseStore>().Object));

        sp.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void StartUp_AnotherType_WithTheDynamoDbWitnessAddedInCode_IsAnError()
    {
        using var sp = Compose(Json("""{ "Type": "etcd", "Table": "leases" }"""), after: b => b.AddDynamoDbWitness());

        StartupErrors(sp).Should().Contain("ClusterPro:Witness:Type is 'etcd', but the DynamoDB witness is added (AddDynamoDbWitness); set ClusterPro:Witness:Type to dynamodb, or leave it unset.");
    }

    [Fact]
    public void IamPolicy_WithTheWitness_AllowsReadWriteAndDescribeOnTheTableOnly_AndCreateTableOnlyForSetUp()
    {
        using var sp = Compose(Json("""{ "Type": "dynamodb", "Table": "leases" }"""), s => s.AddDefaultAWSOptions(new AWSOptions { Region = RegionEndpoint.APNortheast1 }));
        var policy = sp.GetRequiredService<AwsIamPolicy>();

        using var run = JsonDocument.Parse(policy.ToJson());
        using var setup = JsonDocument.Parse(policy.ToJson(includeSetup: true));

        var statements = run.RootElement.GetProperty("Statement").EnumerateArray().ToList();
        statements.Should().HaveCount(2, "the table's statement and the preflight's credentials check");
        statements.Single(s => s.GetProperty("Resource").GetString() == "*").GetProperty("Action").EnumerateArray().Select(a => a.GetString()).Should().Equal("ec2:DescribeAvailabilityZones");
        var statement = statements.Single(s => s.GetProperty("Resource").GetString() != "*");
        statement.GetProperty("Action").EnumerateArray().Select(a => a.GetString()).Should().Equal("dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem");
        statement.GetProperty("Resource").GetString().Should().Be("arn:aws:dynamodb:ap-northeast-1:*:table/leases");
        run.RootElement.ToString().Should().NotContain("CreateTable");
        var extra = setup.RootElement.GetProperty("Statement").EnumerateArray().Last();
        extra.GetProperty("Sid").GetString().Should().Be("ClusterProSetup1");
        extra.GetProperty("Action").EnumerateArray().Select(a => a.GetString()).Should().Equal("dynamodb:CreateTable", "dynamodb:DescribeTable");
        extra.GetProperty("Resource").GetString().Should().Be("arn:aws:dynamodb:ap-northeast-1:*:table/leases");
        policy.SetupStatements.Should().ContainSingle();
    }
}
