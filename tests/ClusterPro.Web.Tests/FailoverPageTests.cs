using Microsoft.Playwright;

namespace ClusterPro.Web.Tests;

/// <summary>
/// The page served by the survivor while the owner is killed (<c>kill -9</c>: no planned stop, no last word): it shows
/// the new owner and the failover's timeline within the failover time plus 2 s, and the dead node as not answering.
/// The cluster has no operator token: its pages are read-only.
/// </summary>
public sealed class FailoverPageTests : IAsyncLifetime
{
    /// <summary>How much later than the takeover itself the page may show it.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    private Browser _browser = null!;
    private WebCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _browser = await Browser.LaunchAsync();
        _cluster = await WebCluster.StartAsync(withToken: false);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
    }

    [Fact]
    public async Task KillingTheOwner_TheSurvivorsPage_ShowsTheNewOwnerAndTheTimeline_WithinTheFailoverTimePlus2s()
    {
        var page = await Pages.OpenAsync(_browser, _cluster.Page("node2"));
        await Pages.ShowsAsync(page, "[data-group='failover1'][data-owner='node1'][data-aws-owner='node1']");
        await Pages.ShowsAsync(page, "[data-node='node1'][data-state='up']");

        var clock = TimeProvider.System;
        var killed = clock.GetTimestamp();
        await _cluster.Nodes["node1"].SignalAsync("KILL");

        // The failover time: from the kill to the survivor's own log line of the group active.
        var activated = await _cluster.Nodes["node2"].WaitForAsync("node2: GroupActivated failover1", WebCluster.Wait);
        var failover = clock.GetElapsedTime(killed, activated);

        // The page: the new owner by the nodes and by AWS, and a failover in the timeline.
        await Pages.ShowsAsync(page, "[data-group='failover1'][data-owner='node2'][data-aws-owner='node2']");
        await Pages.ShowsAsync(page, "[data-timeline-kind='failover'][data-timeline-group='failover1'][data-timeline-node='node2']");
        var shown = clock.GetElapsedTime(killed);
        Console.WriteLine($"failover (kill -9 → node2's GroupActivated): {failover.TotalSeconds:0.00} s; shown on node2's page {shown.TotalSeconds:0.00} s after the kill");
        shown.Should().BeLessThanOrEqualTo(failover + Slack);

        // The timeline reads heartbeat lost → verdict → fence → each resource → active, with a recovery time.
        var episode = page.Locator("[data-timeline-kind='failover'][data-timeline-group='failover1']").First;
        var steps = await episode.Locator(".steps li").AllTextContentsAsync();
        string[] order = ["last heartbeat", "heartbeat lost", "verdict", "fence started", "fenced", "resource active · awsvip1", "resource active · awseip1", "resource active · awsdns1", "active · failover1"];
        var at = order.Select(step => steps.ToList().FindIndex(s => s.Contains(step, StringComparison.Ordinal))).ToList();
        at.Should().OnlyContain(i => i >= 0, "every step is there: {0}", string.Join(" | ", steps));
        at.Should().BeInAscendingOrder();
        var recovery = long.Parse(await episode.GetAttributeAsync("data-recovery-ms") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        recovery.Should().BeGreaterThan((long)WebCluster.HeartbeatTimeout.TotalMilliseconds, "a failover starts at the lost node's last heartbeat");
        (await episode.Locator(".recovery").TextContentAsync()).Should().EndWith(" s");

        // The dead node is shown as not answering (down), not as a blank.
        await Pages.ShowsAsync(page, "[data-node='node1'][data-answered='false']");
        (await page.Locator("[data-node='node1']").GetAttributeAsync("data-state")).Should().BeOneOf("down", "unreachable");
        (await page.Locator("[data-node='node1']").TextContentAsync()).Should().Contain("not answering");

        // Read-only: no token on this node, so its controls are off and a POST is refused whatever it carries.
        (await page.GetByRole(AriaRole.Button, new() { Name = "Move failover1" }).IsDisabledAsync()).Should().BeTrue();
        (await Pages.PostAsync(_cluster.Page("node2"), "api/move", """{"group":"failover1","target":"node1"}""", "Bearer anything-at-all-anything")).Status.Should().Be(403);

        // The README's pictures: the page after the failover, and its timeline.
        await page.SetViewportSizeAsync(1280, 1500);
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await Pages.SaveScreenshotAsync(page, "web-view.png");
        await Pages.SaveScreenshotAsync(page, "web-view-timeline.png", page.Locator("#timeline .episode").First);
    }
}
