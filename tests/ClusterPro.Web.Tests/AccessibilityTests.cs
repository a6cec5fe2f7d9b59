using System.Text.Json;
using Microsoft.Playwright;

namespace ClusterPro.Web.Tests;

/// <summary>
/// The accessibility basics of the page, measured in the browser: every control has a label, the keyboard reaches and
/// operates every control (maintenance on and off, with the confirmation), and every text meets WCAG AA's contrast
/// (4.5:1), computed from the browser's computed styles.
/// </summary>
[Collection(TokenClusterCollection.Name)]
public sealed class AccessibilityTests
{
    /// <summary>
    /// Every visible element with text of its own: its colour and the colour behind it (the nearest ancestor's opaque
    /// background, semi-transparent ones blended in), and the WCAG contrast ratio between them.
    /// </summary>
    private const string ContrastScript = """
        () => {
          const parse = (c) => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return [0, 0, 0, 0]; const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
          const over = (top, bottom) => { const a = top[3]; return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1); };
          const lum = (c) => { const [r, g, b] = c.slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
          const background = (e) => {
            const layers = [];
            for (let n = e; n; n = n.parentElement) { const c = parse(getComputedStyle(n).backgroundColor); if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
            let color = [255, 255, 255, 1];
            for (const layer of layers.reverse()) color = over(layer, color);
            return color;
          };
          const results = [];
          for (const e of document.querySelectorAll('body *')) {
            const own = [...e.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim()).map((n) => n.textContent.trim()).join(' ');
            if (!own || e.closest('dialog:not([open])') || !e.getClientRects().length) continue;
            const style = getComputedStyle(e);
            if (style.visibility === 'hidden' || style.display === 'none' || e.closest('.visually-hidden')) continue;
            const bg = background(e);
            const fg = over(parse(style.color), bg);
            const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
            results.push({ text: own.slice(0, 60), tag: e.tagName, color: style.color, ratio: Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100 });
          }
          return results;
        }
        """;

    /// <summary>Every control and whether it has an accessible name (label, aria-label, aria-labelledby, or its text).</summary>
    private const string LabelScript = """
        () => [...document.querySelectorAll('button, input, select, textarea')].map((e) => {
          const byLabel = e.labels ? [...e.labels].map((l) => l.textContent.trim()).join(' ') : '';
          const byAria = e.getAttribute('aria-label') || (e.getAttribute('aria-labelledby') || '').split(' ').map((id) => document.getElementById(id)?.textContent.trim() || '').join(' ').trim();
          const byText = e.tagName === 'BUTTON' ? e.textContent.trim() : '';
          return { id: e.id || e.outerHTML.slice(0, 80), name: (byAria || byLabel || byText).trim() };
        })
        """;

    private readonly TokenClusterFixture _fixture;

    public AccessibilityTests(TokenClusterFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task EveryControl_HasALabel_AndThePageHasALanguageAndLandmarks()
    {
        var page = await Pages.OpenAsync(_fixture.Browser, _fixture.Cluster.Page("node1"));
        await Pages.ShowsAsync(page, "[data-group='failover1'] select");

        var controls = JsonSerializer.Deserialize<List<Control>>(JsonSerializer.Serialize(await page.EvaluateAsync(LabelScript)), Web)!;
        controls.Should().HaveCountGreaterThan(6);
        controls.Should().OnlyContain(c => c.Name.Length > 0, "every control has a name: {0}", string.Join(", ", controls.Where(c => c.Name.Length == 0).Select(c => c.Id)));
        (await page.GetAttributeAsync("html", "lang")).Should().Be("en");
        (await page.Locator("main").CountAsync()).Should().Be(1);
        (await page.GetByLabel("Operator token").GetAttributeAsync("type")).Should().Be("password");
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Move failover1 to" }).WaitForAsync();
        await page.GetByRole(AriaRole.Img, new() { NameRegex = new System.Text.RegularExpressions.Regex("failover1: ") }).First.WaitForAsync();
    }

    [Fact]
    public async Task Keyboard_ReachesEveryControl_AndOperatesMaintenance_WithTheConfirmation()
    {
        var page = await Pages.OpenAsync(_fixture.Browser, _fixture.Cluster.Page("node1"));
        await Pages.ShowsAsync(page, "[data-node='node1'][data-state='up']");
        await Pages.ShowsAsync(page, "[data-node='node2'][data-state='up']");

        // Tab through the page: every enabled control outside the dialog is reached, and shows where the focus is.
        var count = await page.EvaluateAsync<int>("""
            () => { const all = [...document.querySelectorAll('button, input, select, textarea, a[href], [tabindex]')].filter((e) => !e.disabled && !e.closest('dialog'));
                    all.forEach((e, i) => e.dataset.kb = String(i)); return all.length; }
            """);
        count.Should().BeGreaterThan(6);
        var reached = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count * 2 && reached.Count < count; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<JsonElement>("() => { const e = document.activeElement; const s = getComputedStyle(e); return { kb: e.dataset.kb || '', outline: s.outlineStyle, width: parseFloat(s.outlineWidth) }; }");
            if (focused.GetProperty("kb").GetString() is { Length: > 0 } kb)
            {
                reached.Add(kb);
                focused.GetProperty("outline").GetString().Should().NotBe("none", "a focused control shows its focus");
                focused.GetProperty("width").GetDouble().Should().BeGreaterThanOrEqualTo(2);
            }
        }

        reached.Should().HaveCount(count, "Tab reaches every control");

        // Operate with the keyboard alone: type the token, open the confirmation, Escape cancels (nothing sent) …
        await FocusByTabAsync(page, "token");
        await page.Keyboard.TypeAsync(WebCluster.Token);
        await FocusByTabAsync(page, "maintenance-on");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#confirm[open]").WaitForAsync();
        (await ActiveIdAsync(page)).Should().Be("confirm-cancel", "the confirmation opens on its safe choice");
        await page.Keyboard.PressAsync("Escape");
        await Pages.ShowsAsync(page, "#outcome[data-outcome='cancelled']");
        (await ActiveIdAsync(page)).Should().Be("maintenance-on", "the focus goes back where it was");

        // … and Tab to Confirm, Enter, does it: both nodes in maintenance; then off again the same way.
        foreach (var (button, state) in new[] { ("maintenance-on", "maintenance"), ("maintenance-off", "up") })
        {
            await FocusByTabAsync(page, button);
            await page.Keyboard.PressAsync("Enter");
            await page.Locator("#confirm[open]").WaitForAsync();
            await page.Keyboard.PressAsync("Tab");
            (await ActiveIdAsync(page)).Should().Be("confirm-ok");
            await page.Keyboard.PressAsync("Enter");
            await Pages.ShowsAsync(page, "#outcome[data-outcome='ok']");
            await Pages.ShowsAsync(page, $"[data-node='node1'][data-state='{state}']");
            await Pages.ShowsAsync(page, $"[data-node='node2'][data-state='{state}']");
            await page.EvaluateAsync("() => document.getElementById('outcome').dataset.outcome = ''");
        }
    }

    [Fact]
    public async Task EveryText_MeetsWcagAaContrast()
    {
        var page = await Pages.OpenAsync(_fixture.Browser, _fixture.Cluster.Page("node1"));
        await Pages.ShowsAsync(page, "[data-group='failover1'][data-verdict='ok']");
        await Pages.ShowsAsync(page, "[data-timeline-group='failover1']");
        await Pages.ShowsAsync(page, "[data-monitor]");

        var texts = JsonSerializer.Deserialize<List<Contrast>>(JsonSerializer.Serialize(await page.EvaluateAsync(ContrastScript)), Web)!;
        texts.Should().HaveCountGreaterThan(30);
        var low = texts.Where(t => t.Ratio < 4.5).Select(t => $"'{t.Text}' ({t.Tag}, {t.Color}): {t.Ratio}:1").ToList();
        low.Should().BeEmpty("every text has a contrast of at least 4.5:1 (WCAG AA)");
        Console.WriteLine($"{texts.Count} texts, lowest contrast {texts.Min(t => t.Ratio)}:1");
    }

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static async Task FocusByTabAsync(IPage page, string id)
    {
        for (var i = 0; i < 100 && await ActiveIdAsync(page) != id; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        (await ActiveIdAsync(page)).Should().Be(id, "Tab reaches #{0}", id);
    }

    private static Task<string> ActiveIdAsync(IPage page) => page.EvaluateAsync<string>("() => document.activeElement ? document.activeElement.id : ''");

    private sealed record Control(string Id, string Name);

    private sealed record Contrast(string Text, string Tag, string Color, double Ratio);
}
