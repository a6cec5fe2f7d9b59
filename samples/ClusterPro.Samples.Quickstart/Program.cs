// <quickstart>
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.DependencyInjection;
using ClusterPro.Hosting;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);                                // appsettings.json, environment, command line
builder.Services.AddDefaultAWSOptions(builder.Configuration.GetAWSOptions());     // the SDK's own "AWS" section
builder.Services.AddClusterPro(builder.Configuration)                            // binds the "ClusterPro" section
    .AddAwsFromConfiguration(builder.Configuration)                              // awsvip1, awseip1 and fencing, by their Type
    .AddGroupResource("failover1", "app1", _ => new DelegateGroupResource("app1",
        activate: (ctx, ct) => MyService.StartAsync(ctx.NodeName, ct),          // Task<ResourceResult>
        deactivate: (ctx, ct) => MyService.StopAsync(ctx.NodeName, ct)))
    .AddMonitor("appw1", _ => new DelegateMonitorResource("appw1", (ctx, ct) => MyService.CheckAsync(ct)))  // Task<MonitorResult>
    .AddFailoverManager();                                                       // this process's node: ClusterPro:Node, or its instance ID
await builder.Build().RunAsync();                                                // until SIGTERM or Ctrl+C: a planned switchover
// </quickstart>
