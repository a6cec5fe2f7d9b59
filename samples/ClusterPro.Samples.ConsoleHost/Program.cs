using ClusterPro.Samples.ConsoleHost;

var command = args.Length > 0 ? args[0] : "demo";
switch (command)
{
    case "demo":
        return await InMemoryDemo.RunAsync(Console.Out);
    default:
        Console.Error.WriteLine($"Unknown command '{command}'. Usage: dotnet run --project samples/ClusterPro.Samples.ConsoleHost -- demo");
        return 64;
}
