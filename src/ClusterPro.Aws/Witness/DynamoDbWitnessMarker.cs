namespace ClusterPro.Aws.Witness;

/// <summary>Registered once the DynamoDB witness is added, so that adding it twice registers it once.</summary>
internal sealed class DynamoDbWitnessMarker;
