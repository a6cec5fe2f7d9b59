using System.Net;
using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.Runtime;
using ClusterPro.Aws.Testing.Dns;
using ClusterPro.Aws.Testing.Faults;
using ClusterPro.Aws.Testing.Hosting;
using ClusterPro.Aws.Testing.Iam;
using ClusterPro.Aws.Testing.Imds;
using ClusterPro.Aws.Testing.Scenarios;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ClusterPro.Aws.Testing;

/// <summary>
/// An AWS control-plane emulator on a real HTTP server on 127.0.0.1: EC2 (Query protocol), Route 53 (REST-XML),
/// DynamoDB (JSON) and STS with SigV4 verification, every AWS region with its own state and default VPC, a UDP DNS
/// responder for its hosted zones, IMDSv2 endpoints per simulated instance, fault injection and drift. Any AWS client
/// works against <see cref="Endpoint"/>; <see cref="CreateEc2Client"/> hands out a configured AWS SDK client.
/// </summary>
public sealed class AwsEmulator : IAsyncDisposable
{
    private readonly AwsEmulatorOptions _options;
    private readonly EmulatorState _state;
    private readonly EmulatorCallLog _calls = new();
    private readonly List<InstanceMetadataServer> _imds = [];
    private volatile RequestAuthorizer? _authorizer;
    private WebApplication? _app;
    private DnsResponder? _dns;

    private AwsEmulator(AwsEmulatorOptions options)
    {
        Regions.AwsRegions.Validate(options.Region, nameof(options));
        if (options.PageSize is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.PageSize, "PageSize must be at least 1 (or null for pages only when asked).");
        }
        _options = options;
        _state = new EmulatorState(options);
        _authorizer = Authorizer(options.Policy, "AwsEmulatorOptions.Policy", nameof(options));

        Faults = new EmulatorFaults(options.Seed);
        Drift = new EmulatorDrift(_state, options.Region);
        Inspect = new EmulatorInspector(_state, options.Region);
    }

    /// <summary>The HTTP endpoint (EC2, Route 53 and the <c>/_emulator/</c> control API), e.g. <c>http://127.0.0.1:4566/</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The DNS responder's UDP endpoint, or null when disabled.</summary>
    public IPEndPoint? DnsEndpoint => _dns?.Endpoint;

    /// <summary>The default region: the canonical scenario's, and the one the clients handed out sign for unless told otherwise.</summary>
    public string Region => _options.Region;

    /// <summary>The accepted access key.</summary>
    public string AccessKeyId => _options.AccessKeyId;

    /// <summary>Its secret key.</summary>
    public string SecretAccessKey => _options.SecretAccessKey;

    /// <summary>Credentials the emulator accepts.</summary>
    public AWSCredentials Credentials => new BasicAWSCredentials(AccessKeyId, SecretAccessKey);

    /// <summary>Fault injection.</summary>
    public EmulatorFaults Faults { get; }

    /// <summary>Changes behind the product's back.</summary>
    public EmulatorDrift Drift { get; }

    /// <summary>Direct reads of the state.</summary>
    public EmulatorInspector Inspect { get; }

    /// <summary>The seeded canonical scenario, when <see cref="AwsEmulatorOptions.Scenario"/> was <see cref="EmulatorScenario.Canonical"/> (or after <see cref="SeedCanonical"/>).</summary>
    public CanonicalScenario? Scenario { get; private set; }

    /// <summary>Every AWS API call received, in order.</summary>
    public IReadOnlyList<EmulatorCall> Calls => _calls.Snapshot();

    /// <summary>
    /// The standard environment variables that point any AWS client at this emulator
    /// (<c>AWS_ENDPOINT_URL</c>, <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>).
    /// </summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["AWS_ENDPOINT_URL"] = Endpoint.ToString().TrimEnd('/'),
        ["AWS_ACCESS_KEY_ID"] = AccessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = SecretAccessKey,
        ["AWS_REGION"] = Region,
        ["AWS_DEFAULT_REGION"] = Region,
    };

    /// <summary>Starts an emulator.</summary>
    /// <param name="options">Settings; defaults when null.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The running emulator.</returns>
    public static async Task<AwsEmulator> StartAsync(AwsEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        var emulator = new AwsEmulator(options ?? new AwsEmulatorOptions());
        try
        {
            await emulator.StartCoreAsync(cancellationToken).ConfigureAwait(false);
            return emulator;
        }
        catch
        {
            await emulator.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Seeds the canonical two-node topology in <paramref name="region"/>.</summary>
    /// <param name="region">The region; the default when null.</param>
    /// <returns>The IDs.</returns>
    public CanonicalScenario SeedCanonical(string? region = null)
    {
        Scenario = CanonicalScenario.Seed(_state, region ?? Region);
        return Scenario;
    }

    /// <summary>An EC2 client configuration for this emulator (endpoint, signing region, retries).</summary>
    /// <param name="region">The region; the default when null.</param>
    /// <returns>The configuration.</returns>
    public AmazonEC2Config CreateEc2Config(string? region = null) => new()
    {
        ServiceURL = Endpoint.ToString(),
        AuthenticationRegion = region ?? Region,
        MaxErrorRetry = 3,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>An AWS SDK EC2 client signed for <paramref name="region"/> against this emulator.</summary>
    /// <param name="region">The region; the default when null.</param>
    /// <returns>The client (dispose it).</returns>
    public AmazonEC2Client CreateEc2Client(string? region = null) => new(Credentials, CreateEc2Config(region));

    /// <summary>A DynamoDB client configuration for this emulator (endpoint, signing region, retries).</summary>
    /// <param name="region">The region whose tables the client sees; the default when null.</param>
    /// <returns>The configuration.</returns>
    public AmazonDynamoDBConfig CreateDynamoDbConfig(string? region = null) => new()
    {
        ServiceURL = Endpoint.ToString(),
        AuthenticationRegion = region ?? Region,
        MaxErrorRetry = 3,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>An AWS SDK DynamoDB client signed for <paramref name="region"/> against this emulator.</summary>
    /// <param name="region">The region whose tables the client sees; the default when null.</param>
    /// <returns>The client (dispose it).</returns>
    public AmazonDynamoDBClient CreateDynamoDbClient(string? region = null) => new(Credentials, CreateDynamoDbConfig(region));

    /// <summary>Starts an IMDSv2 endpoint for one instance on its own loopback port.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="region">Its region; the default when null.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The endpoint (e.g. <c>http://127.0.0.1:PORT/</c>).</returns>
    public async Task<Uri> StartInstanceMetadataAsync(string instanceId, string? region = null, CancellationToken cancellationToken = default)
    {
        var server = await InstanceMetadataServer.StartAsync(_state, Faults, region ?? Region, instanceId, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        lock (_imds)
        {
            _imds.Add(server);
        }

        return server.Endpoint;
    }

    /// <summary>The number of calls of an operation received so far.</summary>
    /// <param name="operation">The operation, e.g. <c>ReplaceRoute</c>.</param>
    /// <returns>The count.</returns>
    public int CountCalls(string operation) => _calls.Snapshot().Count(c => c.Operation == operation);

    /// <summary>Forgets the calls received so far.</summary>
    public void ClearCalls() => _calls.Clear();

    /// <summary>Drops all state, faults and calls; reseeds the canonical scenario when it was seeded.</summary>
    public void Reset()
    {
        var reseed = Scenario is not null;
        lock (_state.Sync)
        {
            _state.Clear();
        }

        Faults.Clear();
        _calls.Clear();
        Scenario = null;
        if (reseed)
        {
            SeedCanonical();
        }
    }

    /// <summary>
    /// Replaces the IAM policy every request is authorized against (see <see cref="AwsEmulatorOptions.Policy"/>), from the
    /// next request on; <see langword="null"/> lifts it. Lets a test set a scenario up with full rights, then run the
    /// product with only its policy, or take one action away.
    /// </summary>
    /// <param name="policy">The policy JSON, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The policy names what the emulator does not evaluate (the message says what).</exception>
    public void SetPolicy(string? policy) => _authorizer = Authorizer(policy, "SetPolicy", nameof(policy));

    /// <summary>The whole state as JSON (for debugging and the <c>/_emulator/state</c> endpoint).</summary>
    /// <returns>JSON text.</returns>
    public string DumpState() => AdminApi.DumpState(_state);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        List<InstanceMetadataServer> imds;
        lock (_imds)
        {
            imds = [.. _imds];
            _imds.Clear();
        }

        foreach (var server in imds)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }

        _dns?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private RequestAuthorizer? Authorizer(string? policy, string setting, string parameter)
    {
        try
        {
            return policy is null ? null : new RequestAuthorizer(IamPolicy.Parse(policy), _state);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"{setting}: {ex.Message}", parameter, ex);
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var pipeline = new AwsRequestPipeline(_state, _options, Faults, _calls, () => _authorizer);
        var admin = new AdminApi(this, _state);
        var (app, endpoint) = await KestrelHost.StartAsync(
            _options.Port,
            context => context.Request.Path.StartsWithSegments("/_emulator", StringComparison.Ordinal)
                ? admin.HandleAsync(context)
                : pipeline.HandleAsync(context),
            cancellationToken).ConfigureAwait(false);
        _app = app;
        Endpoint = endpoint;
        if (_options.DnsPort >= 0)
        {
            _dns = DnsResponder.Start(_state, _options.DnsPort);
        }

        if (_options.Scenario == EmulatorScenario.Canonical)
        {
            SeedCanonical();
        }
    }
}
