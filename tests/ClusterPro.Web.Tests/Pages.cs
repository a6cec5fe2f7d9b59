using System.Text;
using ClusterPro.Tests.Shared;
using Microsoft.Playwright;

namespace ClusterPro.Web.Tests;

/// <summary>What the tests read from the page (its data- attributes, never its wording) and how they save pictures of it.</summary>
internal static class Pages
{
    /// <summary>Playwright's bound for one wait, in milliseconds.</summary>
    public const float WaitMs = 60_000;

    /// <summary>Opens a node's page and waits for its first document (every node's state known).</summary>
    public static async Task<IPage> OpenAsync(Browser browser, string url, List<string>? requests = null)
    {
        var page = await browser.NewPageAsync();
        if (requests is not null)
        {
            page.Request += (_, r) => requests.Add(r.Url);
        }

        await page.GotoAsync(url);
        await page.Locator("#cluster-state:not([data-cluster-state=''])").WaitForAsync(new() { Timeout = WaitMs });
        return page;
    }

    /// <summary>Waits until every element of <paramref name="selector"/> is there (a real-time bound).</summary>
    public static Task ShowsAsync(IPage page, string selector, float timeoutMs = WaitMs) =>
        page.Locator(selector).First.WaitForAsync(new() { Timeout = timeoutMs });

    /// <summary>The group's owner as the page shows it (data-owner), or null for none.</summary>
    public static async Task<string?> OwnerAsync(IPage page, string group = "failover1") =>
        await page.Locator($"[data-group='{group}']").GetAttributeAsync("data-owner") is { Length: > 0 } owner ? owner : null;

    /// <summary>Waits until the page has taken at least <paramref name="count"/> more documents from its stream.</summary>
    public static async Task NextDocumentsAsync(IPage page, int count = 2)
    {
        var first = await page.Locator("#live").TextContentAsync();
        for (var i = 0; i < count; i++)
        {
            await page.WaitForFunctionAsync("t => document.getElementById('live').textContent !== t", first, new() { Timeout = WaitMs });
            first = await page.Locator("#live").TextContentAsync();
        }
    }

    /// <summary>POSTs an operation straight to a node, as a script would, with the given Authorization header (or none).</summary>
    public static async Task<(int Status, string Body, string? Authenticate)> PostAsync(string page, string path, string json, string? authorization)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(page), path)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.WwwAuthenticate.FirstOrDefault()?.ToString());
    }

    /// <summary>
    /// Saves a picture of the page's viewport (or of one part) in the test's output folder, and in the repository's docs/images (for the README) when
    /// CLUSTERPRO_UPDATE_SCREENSHOTS=1.
    /// </summary>
    public static async Task SaveScreenshotAsync(IPage page, string name, ILocator? part = null)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        if (part is null)
        {
            await page.ScreenshotAsync(new() { Path = path });
        }
        else
        {
            await part.ScreenshotAsync(new() { Path = path });
        }

        if (Environment.GetEnvironmentVariable("CLUSTERPRO_UPDATE_SCREENSHOTS") == "1")
        {
            var docs = Path.Combine(SourceTree.RepositoryRoot(), "docs", "images");
            Directory.CreateDirectory(docs);
            File.Copy(path, Path.Combine(docs, name), overwrite: true);
        }
    }
}
