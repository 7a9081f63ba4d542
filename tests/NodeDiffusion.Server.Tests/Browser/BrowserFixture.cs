using Microsoft.Playwright;
using NodeDiffusion.Server.Tests.Infrastructure;

namespace NodeDiffusion.Server.Tests.Browser;

/// <summary>
/// One server and one headless Chromium for the browser tests. The browser is Debian's chromium (apt-get install chromium),
/// or CHROMIUM_PATH; Playwright's own driver is bundled in its NuGet package, so nothing is downloaded.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public ServerHost Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    private IPlaywright? _playwright;

    public static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";

    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is not at {ChromiumPath}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.");
        }
        Assertions.SetDefaultExpectTimeout(20_000);
        Server = new ServerHost();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>Runs a test on a fresh page (own storage); on failure it saves a screenshot named after the test.</summary>
    public async Task RunAsync(string name, Func<IPage, Task> test, params string[] permissions)
    {
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1600, Height = 900 },
            AcceptDownloads = true,
            BaseURL = Server.BaseAddress.ToString(),
        });
        context.SetDefaultTimeout(30_000);
        if (permissions.Length > 0)
        {
            await context.GrantPermissionsAsync(permissions);
        }
        var page = await context.NewPageAsync();
        try
        {
            await test(page);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png") });
        }
        catch
        {
            Directory.CreateDirectory(ScreenshotDirectory);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".failed.png") });
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
