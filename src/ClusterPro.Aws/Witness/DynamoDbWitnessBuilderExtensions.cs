using Amazon.DynamoDBv2;
using Amazon.Extensions.NETCore.Setup;
using ClusterPro.Aws.Iam;
using ClusterPro.Aws.Witness;
using ClusterPro.DependencyInjection;
using ClusterPro.Witness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ClusterPro.Aws.DependencyInjection;

/// <summary>Adds the DynamoDB witness (one lease per group in a DynamoDB table) to a ClusterPro builder.</summary>
public static class DynamoDbWitnessBuilderExtensions
{
    /// <summary>The value of <c>ClusterPro:Witness:Type</c> that selects the DynamoDB witness.</summary>
    public const string WitnessType = "dynamodb";

    /// <summary>
    /// Adds the DynamoDB witness (idempotent): <see cref="IGroupLeaseStore"/> as a <see cref="DynamoDbGroupLeaseStore"/>
    /// over <see cref="IAmazonDynamoDB"/> from <c>TryAddAWSService</c> (a host's own registration of either wins), with the
    /// SDK's credential and region chain, the <c>AWS_ENDPOINT_URL_DYNAMODB</c> / <c>AWS_ENDPOINT_URL</c> overrides signed
    /// for the configured region and the SDK's standard retry; the witness's start-up checks
    /// (<c>ClusterPro:Witness:Type</c> <c>dynamodb</c>, the table name) and its IAM statements. <c>ClusterPro:Witness:Type</c>
    /// becomes <c>dynamodb</c> when it is not set.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the table, the lease duration and the call timeout (<c>ClusterPro:Witness</c>).</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddDynamoDbWitness(this IClusterProBuilder builder, Action<WitnessOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddAws();
        var services = builder.Services;
        services.Configure<ClusterProOptions>(o =>
        {
            configure?.Invoke(o.Witness);
            if (string.IsNullOrWhiteSpace(o.Witness.Type))
            {
                o.Witness.Type = WitnessType;
            }
        });
        AddWitnessChecks(services);
        if (services.Any(d => d.ServiceType == typeof(DynamoDbWitnessMarker)))
        {
            return builder;
        }

        services.AddSingleton<DynamoDbWitnessMarker>();
        services.TryAddAWSService<IAmazonDynamoDB>((config, sp) => AwsClusterProBuilderExtensions.ConfigureClient(config, sp, "DynamoDB"));
        services.TryAddSingleton<IGroupLeaseStore>(sp => new DynamoDbGroupLeaseStore(
            sp.GetRequiredService<IAmazonDynamoDB>(),
            sp.GetRequiredService<IOptions<ClusterProOptions>>().Value.Witness,
            sp.Time(),
            sp.Logger<DynamoDbGroupLeaseStore>()));
        services.AddSingleton<IAwsIamPolicyContributor>(sp => new WitnessPolicy(sp.GetRequiredService<IOptions<ClusterProOptions>>().Value.Witness, sp));
        return builder;
    }

    /// <summary>The witness's start-up checks (idempotent); registered for any configured witness type.</summary>
    internal static void AddWitnessChecks(IServiceCollection services) =>
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterProOptions>, DynamoDbWitnessValidator>());
}
