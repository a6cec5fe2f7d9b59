using ClusterPro.Aws.Testing.DynamoDb;
using ClusterPro.Aws.Testing.Ec2;
using ClusterPro.Aws.Testing.Route53;

namespace ClusterPro.Aws.Testing.Hosting;

/// <summary>
/// All emulated state: EC2 and DynamoDB per region (each region created on first use, with its default VPC), Route 53
/// global. One lock guards it.
/// </summary>
internal sealed class EmulatorState
{
    private readonly AwsEmulatorOptions _options;

    public EmulatorState(AwsEmulatorOptions options)
    {
        _options = options;
        Ids = new IdGenerator(options.Seed);
        Route53 = new Route53State(Ids, options.TimeProvider, () => options.Route53PropagationDelay);
    }

    public object Sync { get; } = new();

    public IdGenerator Ids { get; }

    public Dictionary<string, Ec2Region> Regions { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, DynamoDbState> DynamoDbRegions { get; } = new(StringComparer.Ordinal);

    public Route53State Route53 { get; }

    public Ec2Region Region(string name)
    {
        if (!Regions.TryGetValue(name, out var region))
        {
            Testing.Regions.AwsRegions.Validate(name, "region");
            region = new Ec2Region(
                name,
                Ids,
                IdGenerator.ForDefaults(_options.Seed, name),
                _options.TimeProvider,
                force => force ? _options.InstanceForcedStopDelay : _options.InstanceStopDelay,
                () => _options.InstanceStartDelay);
            Regions[name] = region;
        }

        return region;
    }

    public DynamoDbState DynamoDb(string region)
    {
        if (!DynamoDbRegions.TryGetValue(region, out var state))
        {
            Testing.Regions.AwsRegions.Validate(region, nameof(region));
            state = new DynamoDbState(region);
            DynamoDbRegions[region] = state;
        }

        return state;
    }

    /// <summary>Drops every region's state and every hosted zone.</summary>
    public void Clear()
    {
        Regions.Clear();
        DynamoDbRegions.Clear();
        Route53.Clear();
    }
}
