using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using ClusterPro.Aws.Testing;

// dotnet run --project samples/ClusterPro.Aws.Emulator -- --port 4566 [--dns-port N] [--scenario canonical|empty]
//   [--access-key K --secret-key S] [--region R] [--propagation-delay SECONDS] [--policy FILE]
// Prints one JSON line when ready, then serves until SIGTERM or Ctrl+C (or stdin closes with --exit-on-stdin-close).
// dotnet run --project samples/ClusterPro.Aws.Emulator -- demo [--witness]: the failover demos, on an in-process emulator.
// --region is the default region (the canonical scenario's); requests signed for any AWS region are served from that
// region's own state, each with AWS's default VPC.
const string Usage = "Options: --port N --dns-port N --scenario canonical|empty --access-key K --secret-key S --region R (the default region) --propagation-delay SECONDS --policy FILE --exit-on-stdin-close; or: demo [--witness]";
if (args is ["demo", .. var demoArgs])
{
    return await ClusterPro.Aws.Emulator.DemoCommand.RunAsync(demoArgs, Console.Out, Console.Error);
}

if (args is [ClusterPro.Aws.Emulator.DemoApp.Command, .. var appArgs])
{
    return await ClusterPro.Aws.Emulator.DemoApp.RunAsync(appArgs, Console.Error);
}

var options = new AwsEmulatorOptions { Port = 4566, Scenario = EmulatorScenario.Canonical };
var exitOnStdinClose = false;

// Every problem with the command line is one line on stderr and exit 64, never a stack trace.
try
{
    for (var i = 0; i < args.Length; i++)
    {
        var option = args[i];
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{option} needs a value. {Usage}");
        int Int() => int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"{option} {args[i]}: give a whole number.");
        switch (option)
        {
            case "--port": options.Port = Int(); break;
            case "--dns-port": options.DnsPort = Int(); break;
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
            case "--propagation-delay":
                var delay = Next();
                options.Route53PropagationDelay = double.TryParse(delay, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && seconds <= TimeSpan.MaxValue.TotalSeconds
                    ? TimeSpan.FromSeconds(seconds)
                    : throw new ArgumentException($"--propagation-delay {delay}: give a number of seconds, 0 or more.");
                break;
            case "--policy":
                var policyFile = Next();
                options.Policy = File.Exists(policyFile) ? File.ReadAllText(policyFile) : throw new ArgumentException($"--policy {policyFile}: the file does not exist; give an IAM policy JSON file (e.g. the output of the sample host's iam-policy).");
                break;
            case "--exit-on-stdin-close": exitOnStdinClose = true; break;
            default: throw new ArgumentException($"Unknown option {option}. {Usage}");
        }
    }
}
catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine(ex is ArgumentException ? ex.Message : $"--policy: the file cannot be read: {ex.Message}");
    return 64;
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
