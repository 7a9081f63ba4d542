using System.Text.Json.Nodes;
using Microsoft.Playwright;
using NodeDiffusion.Interop.Png;
using NodeDiffusion.Server.Tests.Infrastructure;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Server.Tests.Browser;

/// <summary>Opening files in the browser: images dropped on the canvas, and the results gallery's actions.</summary>
public sealed class EditorFileTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public Task A_dropped_ComfyUI_png_opens_its_workflow_and_a_plain_png_is_refused() => fixture.RunAsync("drop-png", async page =>
    {
        var path = SharedData.Require("real-data/workflows/comfyui-examples/img2img_img2img_workflow.png");
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        var nodes = JsonNode.Parse(PngTextReader.Read(bytes).Single(c => c.Keyword == "workflow").Text)!["nodes"]!.AsArray().Count;
        await page.OpenEditorAsync();
        var defaultName = await page.Locator(".nd-workflow-name").TextContentAsync();
        Assert.NotEqual("img2img_workflow", defaultName);

        await DropAsync(page, "photo.png", TestImages.Png(16, 16));
        await Assertions.Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "photo.png has no embedded workflow." })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".nd-node")).ToHaveCountAsync(6);

        await DropAsync(page, "img2img_workflow.png", bytes);
        await Assertions.Expect(page.Locator(".nd-workflow-name")).ToHaveTextAsync("img2img_workflow");
        await Assertions.Expect(page.Locator(".nd-node")).ToHaveCountAsync(nodes);
        await Assertions.Expect(page.NodesOfType("KSampler")).ToHaveCountAsync(1);

        // One undo step: the default workflow is back, under its own name; redo brings the file's name back with it.
        await page.Locator(".nd-undo").ClickAsync();
        await Assertions.Expect(page.Locator(".nd-node")).ToHaveCountAsync(6);
        await Assertions.Expect(page.Locator(".nd-workflow-name")).ToHaveTextAsync(defaultName!);
        await page.Locator(".nd-redo").ClickAsync();
        await Assertions.Expect(page.Locator(".nd-node")).ToHaveCountAsync(nodes);
        await Assertions.Expect(page.Locator(".nd-workflow-name")).ToHaveTextAsync("img2img_workflow");
    });

    [Fact]
    public Task A_result_downloads_as_its_png_and_loads_the_workflow_that_made_it() => fixture.RunAsync("gallery", async page =>
    {
        await page.OpenEditorAsync();
        var width = page.Node("1").Locator("input[name='width']");
        await width.FillAsync("320");
        await width.PressAsync("Tab");
        await page.Locator(".nd-queue-button").ClickAsync();
        var entry = page.Locator(".nd-gallery-entry");
        await Assertions.Expect(entry).ToHaveCountAsync(1);

        var filename = (await entry.GetAttributeAsync("data-filename"))!;
        var download = await page.RunAndWaitForDownloadAsync(() => entry.Locator(".nd-gallery-download").ClickAsync());
        Assert.Equal(filename, download.SuggestedFilename);
        var saved = Directory.GetFiles(fixture.Server.PathOf("output"), filename, SearchOption.AllDirectories).Single();
        Assert.Equal(await File.ReadAllBytesAsync(saved, TestContext.Current.CancellationToken),
            await File.ReadAllBytesAsync((await download.PathAsync())!, TestContext.Current.CancellationToken));

        await page.Locator(".nd-reset").ClickAsync();
        await Assertions.Expect(width).ToHaveValueAsync("256");
        await entry.Locator(".nd-gallery-load").ClickAsync();
        await Assertions.Expect(width).ToHaveValueAsync("320");
        await Assertions.Expect(page.Locator(".nd-node")).ToHaveCountAsync(6);
        await Assertions.Expect(page.Locator(".diagram-link")).ToHaveCountAsync(5);
    });

    private static Task DropAsync(IPage page, string name, byte[] bytes) =>
        page.Locator(".nd-canvas").EvaluateAsync(@"(canvas, [name, base64]) => {
            const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, { type: 'image/png' }));
            canvas.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }", new[] { name, Convert.ToBase64String(bytes) });
}
