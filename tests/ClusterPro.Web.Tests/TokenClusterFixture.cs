namespace ClusterPro.Web.Tests;

/// <summary>One two-node cluster with the operator's token and one browser, shared by the tests that do not kill a node.</summary>
public sealed class TokenClusterFixture : IAsyncLifetime
{
    internal WebCluster Cluster { get; private set; } = null!;

    internal Browser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Browser = await Browser.LaunchAsync();
        Cluster = await WebCluster.StartAsync(withToken: true);
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
    }
}

/// <summary>The tests that share <see cref="TokenClusterFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class TokenClusterCollection : ICollectionFixture<TokenClusterFixture>
{
    public const string Name = "a running cluster with a token";
}
