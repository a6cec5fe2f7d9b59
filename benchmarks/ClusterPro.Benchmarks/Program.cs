using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ClusterPro.Benchmarks;

// dotnet run -c Release --project benchmarks/ClusterPro.Benchmarks -- --filter '*'          everything
// dotnet run -c Release --project benchmarks/ClusterPro.Benchmarks -- --filter '*' --quick  one iteration each, for a quick look
// dotnet run -c Release --project benchmarks/ClusterPro.Benchmarks -- --filter '*Vip*' --invocations 16   16 operations per iteration (CPU-bound cases)
// CLUSTERPRO_BENCH_LATENCIES=0,20 limits the latencies the switchover benchmarks run at (default 0,20,200).
var quick = args.Contains("--quick");
var at = Array.IndexOf(args, "--invocations");
var invocations = at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : 1;
args = at >= 0 ? args.Where((_, i) => i != at && i != at + 1).ToArray() : args;
// One operation per invocation; BenchmarkDotNet adds iterations (5 to 40) until the 99.9% error is within 2% of the mean
// (latency-bound cases settle at 5, CPU-bound ones take more). The sequential baseline at 200 ms and 50 tables takes 30 s
// an operation, hence the in-process timeout of 30 minutes.
var toolchain = new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true);
var job = quick
    ? Job.Default.WithToolchain(toolchain).WithWarmupCount(0).WithIterationCount(1).WithInvocationCount(1).WithUnrollFactor(1)
    : Job.Default.WithToolchain(toolchain).WithWarmupCount(1).WithMinIterationCount(5).WithMaxIterationCount(40)
        .WithMaxRelativeError(0.02).WithInvocationCount(invocations).WithUnrollFactor(1);
var config = DefaultConfig.Instance
    .AddJob(job)
    .AddColumn(new AwsCallsColumn())
    .AddColumn(new RoundTripsColumn())
    .WithOptions(ConfigOptions.DisableOptimizationsValidator | ConfigOptions.JoinSummary);
BenchmarkSwitcher.FromAssembly(typeof(AwsBench).Assembly).Run(args.Where(a => a != "--quick").ToArray(), config);
