using ClusterPro.Samples.ConsoleHost;

return await ConsoleApp.RunAsync(args, Console.Out, Console.Error);
