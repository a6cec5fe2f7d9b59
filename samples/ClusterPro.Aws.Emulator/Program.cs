using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using ClusterPro.Aws.Testing;

// dotnet run --project samples/ClusterPro.Aws.Emulator -- --port 4566 [--dns-port N] [--scenario canonical|empty]
//   [--access-key K --secret-key S] [--region R] [--propagation-delay SECONDS] [--policy FILE]
// Prints one JSON line when ready, then serves until SIGTERM or Ctrl+C (or stdin closes with --exit-on-stdin-close).
var options = new AwsEmulatorOptions { Port = 4566, Scenario = EmulatorScenario.Canonical };
var exitOnStdinClose = false;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--port": options.Port = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--dns-port": options.DnsPort = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--scenario":
            var scenario = Next();
            options.Scenario = scenario switch
            {
                "canonical" => EmulatorScenario.Canonical,
                "empty" => EmulatorScenario.Empty,
                _ => throw new ArgumentException($"--scenario {scenario} is not known; use canonical or empty."),
            };
            break;
        case "--access-key": options.AccessKeyId = Next(); break;
        case "--secret-key": options.SecretAccessKey = Next(); break;
        case "--region": options.Region = Next(); break;
        case "--propagation-delay": options.Route53PropagationDelay = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)); break;
        case "--policy":
            var policyFile = Next();
            options.Policy = File.Exists(policyFile) ? File.ReadAllText(policyFile) : throw new ArgumentException($"--policy {policyFile}: the file does not exist; give an IAM policy JSON file (e.g. the output of the sample host's iam-policy).");
            break;
        case "--exit-on-stdin-close": exitOnStdinClose = true; break;
        default:
            Console.Error.WriteLine($"Unknown option {args[i]}. Options: --port N --dns-port N --scenario canonical|empty --access-key K --secret-key S --region R --propagation-delay SECONDS --policy FILE --exit-on-stdin-close");
            return 64;
    }
}

AwsEmulator started;
try
{
    started = await AwsEmulator.StartAsync(options);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 64;
}

await using var emulator = started;
var ready = new Dictionary<string, object?>
{
    ["endpoint"] = emulator.Endpoint.ToString().TrimEnd('/'),
    ["dnsEndpoint"] = emulator.DnsEndpoint?.ToString(),
    ["region"] = emulator.Region,
    ["accessKeyId"] = emulator.AccessKeyId,
    ["secretAccessKey"] = emulator.SecretAccessKey,
    ["scenario"] = emulator.Scenario,
};
Console.WriteLine(JsonSerializer.Serialize(ready, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
Console.Out.Flush();

// SIGTERM (docker stop, systemd, kill) and SIGINT (Ctrl+C) end the wait; the emulator then closes its listeners and the
// process exits 0 at once. Lives as long as the process: a signal may arrive while Main returns, so it is never disposed.
var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);
if (exitOnStdinClose)
{
    _ = Task.Run(async () =>
    {
        while (await Console.In.ReadLineAsync() is not null)
        {
        }

        await stop.CancelAsync();
    });
}

try
{
    await Task.Delay(Timeout.InfiniteTimeSpan, stop.Token);
}
catch (OperationCanceledException)
{
}

return 0;
