using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;

namespace ClusterPro.Nemesis;

/// <summary>
/// The standalone AWS emulator (<c>ClusterPro.Aws.Emulator.dll</c>) as a process with the canonical scenario, its
/// control API (state, instance drift), and the operator's own AWS calls: a third node's instance, the witness table,
/// StartInstances after a fence. Nodes never talk to it directly; each goes through its own proxy.
/// </summary>
internal sealed class EmulatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly LogFile _log;
    private readonly HttpClient _http;
    private readonly AmazonEC2Client _ec2;

    private EmulatorProcess(Process process, LogFile log, JsonElement ready)
    {
        _process = process;
        _log = log;
        Endpoint = new Uri(ready.GetProperty("endpoint").GetString()!);
        AccessKeyId = ready.GetProperty("accessKeyId").GetString()!;
        SecretAccessKey = ready.GetProperty("secretAccessKey").GetString()!;
        Region = ready.GetProperty("region").GetString()!;
        Scenario = ready.GetProperty("scenario").Clone();
        _http = new HttpClient { BaseAddress = Endpoint, Timeout = TimeSpan.FromSeconds(5) };
        _ec2 = new AmazonEC2Client(new BasicAWSCredentials(AccessKeyId, SecretAccessKey), new AmazonEC2Config { ServiceURL = Endpoint.ToString(), AuthenticationRegion = Region, MaxErrorRetry = 0 });
    }

    /// <summary>The emulator's endpoint.</summary>
    public Uri Endpoint { get; }

    /// <summary>Its access key.</summary>
    public string AccessKeyId { get; }

    /// <summary>Its secret key.</summary>
    public string SecretAccessKey { get; }

    /// <summary>Its region.</summary>
    public string Region { get; }

    /// <summary>The seeded canonical scenario (the ready line's <c>scenario</c>).</summary>
    public JsonElement Scenario { get; }

    /// <summary>Starts the emulator and waits for its ready line.</summary>
    /// <param name="dll">The emulator's dll.</param>
    /// <param name="logPath">Where its output goes.</param>
    /// <param name="timing">The run's timing (Route 53 propagation).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator.</returns>
    public static async Task<EmulatorProcess> StartAsync(string dll, string logPath, Timing timing, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "--port", "0", "--dns-port", "-1", "--scenario", "canonical", "--propagation-delay", timing.Route53Propagation.ToString(CultureInfo.InvariantCulture), "--exit-on-stdin-close" })
        {
            info.ArgumentList.Add(a);
        }

        var process = Children.Start(info);
        var log = new LogFile(logPath);
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException("The emulator exited before it was ready; see " + logPath));
                return;
            }

            log.Write(e.Data);
            if (e.Data.Contains("\"endpoint\"", StringComparison.Ordinal))
            {
                ready.TrySetResult(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                log.Write(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var line = await ready.Task.WaitAsync(TimeSpan.FromSeconds(60), TimeProvider.System, cancellationToken).ConfigureAwait(false);
        return new EmulatorProcess(process, log, JsonDocument.Parse(line).RootElement.Clone());
    }

    /// <summary>The whole state (<c>GET /_emulator/state</c>).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state document.</returns>
    public async Task<JsonElement> StateAsync(CancellationToken cancellationToken) =>
        (await _http.GetFromJsonAsync<JsonElement>(new Uri("/_emulator/state", UriKind.Relative), cancellationToken).ConfigureAwait(false)).Clone();

    /// <summary>Stops an instance at once behind everyone's back (<c>POST /_emulator/drift/instance</c>).</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public async Task StopInstanceAsync(string instanceId, CancellationToken cancellationToken)
    {
        using var answer = await _http.PostAsJsonAsync(new Uri("/_emulator/drift/instance", UriKind.Relative), new { instanceId }, cancellationToken).ConfigureAwait(false);
        answer.EnsureSuccessStatusCode();
    }

    /// <summary>Adds a node to the scenario: a subnet of its own, an instance with its address, source/destination check off.</summary>
    /// <param name="name">The node's name.</param>
    /// <param name="vpcId">The VPC.</param>
    /// <param name="cidr">The subnet's CIDR.</param>
    /// <param name="zone">The subnet's zone.</param>
    /// <param name="ip">The instance's address.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The node's identity.</returns>
    public async Task<NodeSpec> AddNodeAsync(string name, string vpcId, string cidr, string zone, string ip, CancellationToken cancellationToken)
    {
        var subnet = await _ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpcId, CidrBlock = cidr, AvailabilityZone = zone }, cancellationToken).ConfigureAwait(false);
        var run = await _ec2.RunInstancesAsync(
            new RunInstancesRequest { SubnetId = subnet.Subnet.SubnetId, PrivateIpAddress = ip, ImageId = "ami-0123456789abcdef0", InstanceType = InstanceType.T3Micro, MinCount = 1, MaxCount = 1 },
            cancellationToken).ConfigureAwait(false);
        var instance = run.Reservation.Instances[0];
        var eni = instance.NetworkInterfaces?.FirstOrDefault()?.NetworkInterfaceId
            ?? (await _ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instance.InstanceId] }, cancellationToken).ConfigureAwait(false))
                .Reservations[0].Instances[0].NetworkInterfaces[0].NetworkInterfaceId;
        await _ec2.ModifyNetworkInterfaceAttributeAsync(new ModifyNetworkInterfaceAttributeRequest { NetworkInterfaceId = eni, SourceDestCheck = false }, cancellationToken).ConfigureAwait(false);
        return new NodeSpec(name, instance.InstanceId, eni, ip);
    }

    /// <summary>Creates the witness table (key <c>group</c>, on demand), as <c>clusterpro witness-init</c> would.</summary>
    /// <param name="table">The table's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public async Task CreateWitnessTableAsync(string table, CancellationToken cancellationToken)
    {
        using var dynamo = new AmazonDynamoDBClient(new BasicAWSCredentials(AccessKeyId, SecretAccessKey), new AmazonDynamoDBConfig { ServiceURL = Endpoint.ToString(), AuthenticationRegion = Region });
        await dynamo.CreateTableAsync(
            new CreateTableRequest
            {
                TableName = table,
                KeySchema = [new KeySchemaElement("group", Amazon.DynamoDBv2.KeyType.HASH)],
                AttributeDefinitions = [new AttributeDefinition("group", ScalarAttributeType.S)],
                BillingMode = BillingMode.PAY_PER_REQUEST,
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a stopped instance, as an operator would after a fence.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public async Task StartInstanceAsync(string instanceId, CancellationToken cancellationToken) =>
        await _ec2.StartInstancesAsync(new StartInstancesRequest { InstanceIds = [instanceId] }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _ec2.Dispose();
        _http.Dispose();
        try
        {
            // --exit-on-stdin-close: closing its input ends it within a second.
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            Children.Kill(_process);
        }

        Children.Forget(_process);
        _process.Dispose();
        _log.Dispose();
    }
}
