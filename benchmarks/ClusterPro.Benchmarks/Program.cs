using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ClusterPro.Benchmarks;

// dotnet run -c Release --project benchmarks/ClusterPro.Benchmarks -- --filter '*'          everything
// dotnet run -c Release --project benchmarks/ClusterPro.Benchmarks -- --filter '*' --quick  one iteration each, for a quick look
var quick = args.Contains("--quick");
var job = Job.Default
    .WithToolchain(InProcessEmitToolchain.Instance)
    .WithWarmupCount(quick ? 0 : 1)
    .WithIterationCount(quick ? 1 : 8)
    .WithInvocationCount(1)
    .WithUnrollFactor(1);
var config = DefaultConfig.Instance
    .AddJob(job)
    .AddColumn(new AwsCallsColumn())
    .WithOptions(ConfigOptions.DisableOptimizationsValidator | ConfigOptions.JoinSummary);
BenchmarkSwitcher.FromAssembly(typeof(AwsBench).Assembly).Run(args.Where(a => a != "--quick").ToArray(), config);
