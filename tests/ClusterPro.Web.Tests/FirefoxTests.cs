using Microsoft.Playwright;

namespace ClusterPro.Web.Tests;

/// <summary>
/// The same page in Debian's Firefox ESR, as it ships (no build step, no patched browser): it lists both nodes and the
/// owner, follows the cluster live, and a move from the page with the operator's token works.
/// </summary>
[Collection(TokenClusterCollection.Name)]
public sealed class FirefoxTests : IAsyncLifetime
{
    private readonly TokenClusterFixture _fixture;
    private Browser? _firefox;

    public FirefoxTests(TokenClusterFixture fixture) => _fixture = fixture;

    private WebCluster Cluster => _fixture.Cluster;

    public async Task InitializeAsync() => _firefox = await Browser.LaunchFirefoxAsync();

    public async Task DisposeAsync()
    {
        if (_firefox is not null)
        {
            await _firefox.DisposeAsync();
        }
    }

    [Fact]
    public async Task Page_InFirefox_ShowsBothNodesAndTheOwner_AndAMoveWithTheTokenMovesTheGroup()
    {
        var requests = new List<string>();
        var page = await Pages.OpenAsync(_firefox!, Cluster.Page("node1"), requests);
        (await page.EvaluateAsync<string>("navigator.userAgent")).Should().Contain("Firefox/");
        await Pages.ShowsAsync(page, "[data-node='node1'][data-state='up']");
        await Pages.ShowsAsync(page, "[data-node='node2'][data-state='up']");
        await Pages.ShowsAsync(page, "[data-group='failover1'][data-verdict='ok']");
        var from = await Pages.OwnerAsync(page);
        from.Should().BeOneOf("node1", "node2");
        (await page.Locator("[data-group='failover1']").GetAttributeAsync("data-aws-owner")).Should().Be(from);
        var to = from == "node1" ? "node2" : "node1";

        // The live stream works here too: new documents keep coming without a reload.
        await Pages.NextDocumentsAsync(page);

        await page.GetByLabel("Operator token").FillAsync(WebCluster.Token);
        await page.GetByLabel("Move failover1 to").SelectOptionAsync(to);
        await page.GetByRole(AriaRole.Button, new() { Name = "Move failover1" }).ClickAsync();
        var dialog = page.Locator("#confirm");
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Visible });
        (await dialog.TextContentAsync()).Should().Contain($"Move failover1 from {from} to {to}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();

        await Pages.ShowsAsync(page, $"[data-group='failover1'][data-owner='{to}'][data-aws-owner='{to}']");
        requests.Should().OnlyContain(u => u.StartsWith(Cluster.Page("node1"), StringComparison.Ordinal), "nothing comes from outside the node");
    }
}
