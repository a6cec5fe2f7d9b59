using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ClusterPro.Aws.DependencyInjection;

/// <summary>What every AWS registration takes from the container.</summary>
internal static class AwsServices
{
    public static T Options<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(this IServiceProvider sp, string name)
        where T : class => sp.GetRequiredService<IOptionsMonitor<T>>().Get(name);

    public static TimeProvider Time(this IServiceProvider sp) => sp.GetService<TimeProvider>() ?? TimeProvider.System;

    public static ILogger<T> Logger<T>(this IServiceProvider sp) => sp.GetService<ILogger<T>>() ?? NullLogger<T>.Instance;
}
