using Microsoft.Playwright;

namespace ClusterPro.Web.Tests;

/// <summary>
/// The page of a running two-node cluster (real `clusterpro run` processes on the standalone emulator) in a real
/// Chromium: what it shows, a move from the page with the operator's token, and no move without it.
/// </summary>
[Collection(TokenClusterCollection.Name)]
public sealed class WebViewTests
{
    private readonly TokenClusterFixture _fixture;

    public WebViewTests(TokenClusterFixture fixture) => _fixture = fixture;

    private WebCluster Cluster => _fixture.Cluster;

    [Fact]
    public async Task Page_OfATwoNodeCluster_ShowsBothNodesTheOwnerAndAwsGroundTruth_FromThisNodeOnly()
    {
        var requests = new List<string>();
        var page = await Pages.OpenAsync(_fixture.Browser, Cluster.Page("node2"), requests);

        // Both nodes up; the group's owner by the nodes and by AWS is the same node.
        await Pages.ShowsAsync(page, "[data-node='node1'][data-state='up']");
        await Pages.ShowsAsync(page, "[data-node='node2'][data-state='up']");
        await Pages.ShowsAsync(page, "[data-group='failover1'][data-verdict='ok']");
        var group = page.Locator("[data-group='failover1']");
        var owner = await group.GetAttributeAsync("data-owner");
        owner.Should().BeOneOf("node1", "node2");
        (await group.GetAttributeAsync("data-aws-owner")).Should().Be(owner);
        (await page.Locator("[data-node]").CountAsync()).Should().Be(2);

        // Each resource's AWS ground truth: the VIP's route tables, the Elastic IP's association, the record.
        var resources = group.Locator("[data-resource]");
        (await resources.Locator("td:first-child").AllTextContentsAsync()).Should().Equal("awsvip1", "awseip1", "awsdns1");
        (await group.Locator("[data-resource='awsvip1']").TextContentAsync()).Should().Contain(Cluster.Scenario("routeTablePrivateA"));
        (await group.Locator("[data-resource='awseip1']").TextContentAsync()).Should().Contain(Cluster.Scenario("eipAllocationId"));
        (await group.Locator("[data-resource='awsdns1']").TextContentAsync()).Should().Contain("srv.hz1.local.");

        // Every monitor of both nodes, and a timeline entry for the group's start.
        await Pages.ShowsAsync(page, "[data-monitor='awsvipw1'][data-monitor-node='node1']");
        await Pages.ShowsAsync(page, "[data-monitor='awsvipw1'][data-monitor-node='node2']");
        await Pages.ShowsAsync(page, "[data-timeline-group='failover1']");

        // Nothing from anywhere but the node: no CDN, no font, no script from outside.
        requests.Should().NotBeEmpty().And.OnlyContain(u => u.StartsWith(Cluster.Page("node2"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Move_FromThePage_WithTheToken_MovesTheGroup_AndStandbyBringsItBack()
    {
        var page = await Pages.OpenAsync(_fixture.Browser, Cluster.Page("node1"));
        await Pages.ShowsAsync(page, "[data-group='failover1'][data-verdict='ok']");
        var from = await Pages.OwnerAsync(page);
        var to = from == "node1" ? "node2" : "node1";

        await page.GetByLabel("Operator token").FillAsync(WebCluster.Token);
        await page.GetByLabel("Move failover1 to").SelectOptionAsync(to);
        await page.GetByRole(AriaRole.Button, new() { Name = "Move failover1" }).ClickAsync();

        // The confirmation names what will happen; nothing is sent before it.
        var dialog = page.Locator("#confirm");
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Visible });
        (await dialog.TextContentAsync()).Should().Contain($"Move failover1 from {from} to {to}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();

        // The nodes and AWS both say the new owner.
        await Pages.ShowsAsync(page, $"[data-group='failover1'][data-owner='{to}'][data-aws-owner='{to}'][data-verdict='ok']");
        await Pages.ShowsAsync(page, "#outcome[data-outcome='ok']");
        await Cluster.Nodes[to].WaitForAsync($"{to}: GroupActivated failover1", WebCluster.Wait);
        await Pages.ShowsAsync(page, $"[data-timeline-kind='move'][data-timeline-group='failover1'][data-timeline-node='{to}']");

        // Standby of the new owner: the group comes back, the node shows as on standby; unstandby ends it.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Put {to} on standby" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Pages.ShowsAsync(page, $"[data-node='{to}'][data-state='standby']");
        await Pages.ShowsAsync(page, $"[data-group='failover1'][data-owner='{from}'][data-aws-owner='{from}']");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Take {to} off standby" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Pages.ShowsAsync(page, $"[data-node='{to}'][data-state='up']");
    }

    [Fact]
    public async Task Move_WithoutTheToken_Or_WithAWrongOne_Is401_AndNothingMoves()
    {
        var page = await Pages.OpenAsync(_fixture.Browser, Cluster.Page("node2"));
        await Pages.ShowsAsync(page, "[data-group='failover1'][data-verdict='ok']");
        var owner = await Pages.OwnerAsync(page);
        var other = owner == "node1" ? "node2" : "node1";
        var handoffs = Cluster.Nodes.Values.Sum(n => n.AllLines.Count(l => l.Contains("GroupHandedOff", StringComparison.Ordinal)));

        // From the page: no token typed, then a wrong one.
        await page.GetByLabel("Move failover1 to").SelectOptionAsync(other);
        foreach (var token in new[] { string.Empty, "not-the-token-of-this-cluster" })
        {
            await page.GetByLabel("Operator token").FillAsync(token);
            await page.GetByRole(AriaRole.Button, new() { Name = "Move failover1" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
            await Pages.ShowsAsync(page, "#outcome[data-outcome='refused'][data-status='401']");
            await page.EvaluateAsync("() => document.getElementById('outcome').dataset.outcome = ''");
        }

        // Straight to the node, as a script would: no header, a wrong token, another scheme.
        var body = $$"""{"group":"failover1","target":"{{other}}"}""";
        foreach (var authorization in new[] { null, "Bearer wrong-token-wrong-token", $"Basic {WebCluster.Token}", WebCluster.Token })
        {
            var (status, text, authenticate) = await Pages.PostAsync(Cluster.Page("node2"), "api/move", body, authorization);
            status.Should().Be(401, text);
            authenticate.Should().StartWith("Bearer");
        }

        (await Pages.PostAsync(Cluster.Page("node1"), "api/maintenance", """{"on":true}""", null)).Status.Should().Be(401);
        (await Pages.PostAsync(Cluster.Page("node1"), "api/standby", $$"""{"node":"{{owner}}","on":true}""", "Bearer ")).Status.Should().Be(401);

        // Nothing moved: two more documents later the owner is the same, by the nodes and by AWS, and no node handed off.
        await Pages.NextDocumentsAsync(page);
        (await Pages.OwnerAsync(page)).Should().Be(owner);
        (await page.Locator("[data-group='failover1']").GetAttributeAsync("data-aws-owner")).Should().Be(owner);
        (await page.Locator($"[data-node='{owner}']").GetAttributeAsync("data-state")).Should().Be("up");
        Cluster.Nodes.Values.Sum(n => n.AllLines.Count(l => l.Contains("GroupHandedOff", StringComparison.Ordinal))).Should().Be(handoffs);
        Cluster.Nodes["node2"].Log.Should().Contain("web: POST /api/move from 127.0.0.1 refused: no token, or a wrong one; nothing was changed")
            .And.NotContain(WebCluster.Token, "the token is never logged");
    }
}
