using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ClusterPro.Applications.DependencyInjection;

/// <summary>What the application resources and monitors take from the container.</summary>
internal static class ApplicationServices
{
    public static T Options<T>(this IServiceProvider sp, string name)
        where T : class =>
        sp.GetRequiredService<IOptionsMonitor<T>>().Get(name);

    public static TimeProvider Time(this IServiceProvider sp) => sp.GetService<TimeProvider>() ?? TimeProvider.System;

    public static ILogger Logger<T>(this IServiceProvider sp) =>
        (ILogger?)sp.GetService<ILoggerFactory>()?.CreateLogger<T>() ?? NullLogger.Instance;
}
