using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using ClusterPro.Aws.Testing;
using ClusterPro.Aws.Witness;
using ClusterPro.Witness;
using Microsoft.Extensions.Time.Testing;

namespace ClusterPro.Aws.Tests.Witness;

/// <summary>The emulator with a witness table, and stores over the real AWS SDK; the stores' call timeouts run on <see cref="Time"/>.</summary>
internal sealed class WitnessEmulator : IAsyncDisposable
{
    public const string Table = "clusterpro-witness";

    private readonly List<IDisposable> _clients = [];

    private WitnessEmulator(AwsEmulator emulator) => Emulator = emulator;

    public AwsEmulator Emulator { get; }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public static TimeSpan CallTimeout => TimeSpan.FromSeconds(2);

    public static async Task<WitnessEmulator> StartAsync(bool createTable = true, string key = "group")
    {
        var witness = new WitnessEmulator(await AwsEmulator.StartAsync(new AwsEmulatorOptions { DnsPort = -1 }));
        if (createTable)
        {
            await witness.Raw.CreateTableAsync(new CreateTableRequest
            {
                TableName = Table,
                BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = [new KeySchemaElement(key, KeyType.HASH)],
                AttributeDefinitions = [new AttributeDefinition(key, ScalarAttributeType.S)],
            });
        }

        return witness;
    }

    /// <summary>A client for arranging and inspecting the table, not under test.</summary>
    public AmazonDynamoDBClient Raw => field ??= Client();

    public AmazonDynamoDBClient Client(int maxErrorRetry = 3, HttpClientFactory? http = null)
    {
        var config = Emulator.CreateDynamoDbConfig();
        config.MaxErrorRetry = maxErrorRetry;
        config.RetryMode = RequestRetryMode.Standard;
        if (http is not null)
        {
            config.HttpClientFactory = http;
        }

        var client = new AmazonDynamoDBClient(Emulator.Credentials, config);
        _clients.Add(client);
        return client;
    }

    public static WitnessOptions Options(string table = Table) => new() { Type = "dynamodb", Table = table, AwsCallTimeout = CallTimeout };

    public DynamoDbGroupLeaseStore Store(int maxErrorRetry = 3, HttpClientFactory? http = null, string table = Table) =>
        new(Client(maxErrorRetry, http), Options(table), Time);

    public async Task<Dictionary<string, AttributeValue>> ItemAsync(string group) =>
        (await Raw.GetItemAsync(new GetItemRequest { TableName = Table, Key = new() { ["group"] = new AttributeValue { S = group } }, ConsistentRead = true })).Item ?? [];

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Emulator.DisposeAsync();
    }
}
