using Microsoft.Playwright;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Server.Tests.Browser;

/// <summary>The settings dialog in Chromium, on its own server: the settings it saves are the server's for every page.</summary>
public sealed class SettingsBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public Task The_light_theme_survives_a_reload_and_preview_method_none_sends_no_frames() => fixture.RunAsync("settings", async page =>
    {
        await page.OpenEditorAsync();
        var html = page.Locator("html");
        await Assertions.Expect(html).ToHaveAttributeAsync("data-theme", "dark");

        await page.Locator(".nd-settings-button").ClickAsync();
        await page.Locator(".nd-settings-dialog .nd-theme-light").ClickAsync();
        await Assertions.Expect(html).ToHaveAttributeAsync("data-theme", "light");
        await Assertions.Expect(page.Locator(".nd-canvas")).ToHaveCSSAsync("background-color", "rgb(238, 240, 243)");
        await Assertions.Expect(page.Locator(".nd-side")).ToHaveCSSAsync("background-color", "rgb(248, 249, 250)");
        await page.Locator(".nd-settings-dialog .nd-preview-none").ClickAsync();
        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "settings-dialog.png") });
        await page.Locator(".nd-settings-close").ClickAsync();
        await Assertions.Expect(page.Locator(".nd-settings-dialog")).ToHaveCountAsync(0);

        // The server renders the saved theme into the page itself: it is there before the circuit connects.
        var response = await page.ReloadAsync();
        Assert.Contains("data-theme=\"light\"", await response!.TextAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator(".nd-node")).ToHaveCountAsync(6);
        await Assertions.Expect(html).ToHaveAttributeAsync("data-theme", "light");
        await Assertions.Expect(page.Locator(".nd-toolbar")).ToHaveCSSAsync("background-color", "rgb(255, 255, 255)");

        var previewRequests = 0;
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/preview/", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref previewRequests);
            }
        };
        await page.Locator(".nd-file-input").SetInputFilesAsync(Path.Combine(SharedData.RepositoryRoot, "workflows", "txt2img.json"));
        var steps = page.Node("3").Locator("input[name='steps']");
        await steps.FillAsync("4");
        await steps.PressAsync("Tab");
        await page.Locator(".nd-queue-button").ClickAsync();
        await Assertions.Expect(page.Locator(".nd-gallery-item")).ToHaveCountAsync(1, new() { Timeout = 120_000 });
        await Assertions.Expect(page.Locator(".nd-history-item").First).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("nd-history-success"));
        Assert.Equal(0, previewRequests);
        await Assertions.Expect(page.Locator(".nd-preview")).ToHaveCountAsync(0);

        // Parts styled after the theme was written follow it too: the gallery's actions and the minimap's view frame.
        await Assertions.Expect(page.Locator(".nd-gallery-load")).ToHaveCSSAsync("color", "rgb(9, 105, 218)");
        await Assertions.Expect(page.Locator(".nd-minimap .navigator-current-view")).ToHaveCSSAsync("stroke", "rgb(9, 105, 218)");
    });
}
