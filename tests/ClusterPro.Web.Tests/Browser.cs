using Microsoft.Playwright;

namespace ClusterPro.Web.Tests;

/// <summary>
/// Debian's Chromium (or Firefox ESR) driven by Playwright (no browser is downloaded: <c>playwright install</c> is never
/// run), headless, with a fresh profile and every background connection off, since this machine reaches no network.
/// Firefox is driven as it ships, over WebDriver BiDi (Playwright's <c>moz-firefox</c> channel).
/// </summary>
internal sealed class Browser : IAsyncDisposable
{
    /// <summary>Where Debian's <c>chromium</c> package puts the browser.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Where Debian's <c>firefox-esr</c> package puts the browser.</summary>
    public const string FirefoxPath = "/usr/bin/firefox-esr";

    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowserContext _context;
    private readonly string _profile;

    private Browser(IPlaywright playwright, IBrowserContext context, string profile)
    {
        _playwright = playwright;
        _context = context;
        _profile = profile;
    }

    /// <summary>Starts Chromium; fails (never skips) with the command that installs it when it is missing.</summary>
    public static Task<Browser> LaunchAsync() => LaunchAsync(firefox: false);

    /// <summary>Starts Firefox ESR; fails (never skips) with the command that installs it when it is missing.</summary>
    public static Task<Browser> LaunchFirefoxAsync() => LaunchAsync(firefox: true);

    private static async Task<Browser> LaunchAsync(bool firefox)
    {
        var (path, package) = firefox ? (FirefoxPath, "firefox-esr") : (ChromiumPath, "chromium");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The web view's browser tests need Debian's {package} at {path}, which is not installed: run `apt-get install -y {package}` (as root; .ci/run does), then run the tests again.");
        }

        var playwright = await Playwright.CreateAsync();
        var profile = Directory.CreateTempSubdirectory($"clusterpro-{package}-").FullName;
        try
        {
            var options = new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = path,
                Headless = true,
                ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
                Locale = "en-GB",
                TimezoneId = "UTC",
            };
            if (firefox)
            {
                options.Channel = "moz-firefox";
            }
            else
            {
                options.Args = Arguments;
            }

            var context = await (firefox ? playwright.Firefox : playwright.Chromium).LaunchPersistentContextAsync(profile, options);
            return new Browser(playwright, context, profile);
        }
        catch
        {
            playwright.Dispose();
            Directory.Delete(profile, recursive: true);
            throw;
        }
    }

    /// <summary>A new tab.</summary>
    public Task<IPage> NewPageAsync() => _context.NewPageAsync();

    public async ValueTask DisposeAsync()
    {
        await _context.CloseAsync();
        _playwright.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
