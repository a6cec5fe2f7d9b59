using System.Runtime.InteropServices;
using ClusterPro.Nemesis;

// The real-process nemesis suite: `clusterpro run` processes against the standalone emulator, faults from a schedule,
// a checker over the AWS ground truth. See NemesisOptions.Usage and the README's "Nemesis" section.
NemesisOptions options;
try
{
    options = NemesisOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(NemesisOptions.Usage);
    return 64;
}

if (options.Schedule == "list")
{
    foreach (var s in NamedSchedules.All)
    {
        Console.WriteLine($"{s.Name,-20} {s.Purpose}");
    }

    return 0;
}

// No child outlives the suite: Ctrl+C, SIGTERM and SIGHUP stop the run and kill every process it started.
using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    Console.Error.WriteLine($"nemesis: {context.Signal}; killing every process it started");
    Children.KillAll();
    stop.Cancel();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);
AppDomain.CurrentDomain.ProcessExit += (_, _) => Children.KillAll();
AppDomain.CurrentDomain.UnhandledException += (_, _) => Children.KillAll();
try
{
    return await new Suite(options).RunAsync(stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.WriteLine("nemesis: stopped before the end; no verdict");
    return 130;
}
finally
{
    Children.KillAll();
}
