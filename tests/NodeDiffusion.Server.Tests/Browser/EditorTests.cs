using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace NodeDiffusion.Server.Tests.Browser;

public sealed class EditorTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public Task The_editor_opens_with_the_default_workflow() => fixture.RunAsync("opens", async page =>
    {
        await page.OpenEditorAsync();
        await Assertions.Expect(page.Locator(".diagram-link")).ToHaveCountAsync(5);
        await Assertions.Expect(page.Node("1").Locator(".nd-title-text")).ToHaveTextAsync("Blue");
        await Assertions.Expect(page.Node("3").Locator("select[name='blend_mode']")).ToHaveValueAsync("overlay");
        await Assertions.Expect(page.Node("1").Locator("input[name='width']")).ToHaveValueAsync("256");

        var canvas = (await page.Locator(".nd-canvas").BoundingBoxAsync())!;
        await page.Locator(".nd-fit").ClickAsync();
        await page.WaitForTimeoutAsync(500);
        var save = (await page.Node("6").BoundingBoxAsync())!;
        Assert.True(save.X + save.Width <= canvas.X + canvas.Width, $"Save Image ends at {save.X + save.Width}, the canvas at {canvas.X + canvas.Width}");
    });

    [Fact]
    public Task A_node_is_added_through_fuzzy_search() => fixture.RunAsync("search", async page =>
    {
        await page.OpenEditorAsync();
        var node = await page.AddNodeAsync("invrt img", "ImageInvert");
        await Assertions.Expect(node.Locator(".nd-title-text")).ToHaveTextAsync("Invert Image");
        await Assertions.Expect(page.Locator(".nd-node")).ToHaveCountAsync(7);
    });

    [Fact]
    public Task Links_connect_compatible_sockets_and_an_incompatible_drag_says_why() => fixture.RunAsync("links", async page =>
    {
        await page.OpenEditorAsync();
        var invert = await page.AddNodeAsync("image invert", "ImageInvert");
        var id = await invert.GetAttributeAsync("data-node-id");

        await page.DragAsync(page.Output("2"), page.InputSocket(id!, "image"));
        await Assertions.Expect(page.Locator(".diagram-link")).ToHaveCountAsync(6);

        await page.DragAsync(page.Output("1"), page.InputSocket("5", "width"));
        await Assertions.Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "needs INT" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".diagram-link")).ToHaveCountAsync(6);

        // A second link into an occupied input replaces the first.
        await page.DragAsync(page.Output("1"), page.InputSocket(id!, "image"));
        await Assertions.Expect(page.Locator(".diagram-link")).ToHaveCountAsync(6);
    });

    [Fact]
    public Task Widget_edits_undo_and_redo() => fixture.RunAsync("undo", async page =>
    {
        await page.OpenEditorAsync();
        var width = page.Node("1").Locator("input[name='width']");
        await width.FillAsync("300");
        await width.PressAsync("Tab");
        await Assertions.Expect(page.Locator(".nd-undo")).ToBeEnabledAsync();

        await page.Locator(".nd-canvas").ClickAsync(new() { Position = new() { X = 200, Y = 720 } });
        await page.Keyboard.PressAsync("Control+z");
        await Assertions.Expect(width).ToHaveValueAsync("256");
        await page.Keyboard.PressAsync("Control+y");
        await Assertions.Expect(page.Node("1").Locator("input[name='width']")).ToHaveValueAsync("300");

        await page.AddNodeAsync("string", "PrimitiveString");
        await Assertions.Expect(page.Locator(".nd-node")).ToHaveCountAsync(7);
        await page.Locator(".nd-undo").ClickAsync();
        await Assertions.Expect(page.Locator(".nd-node")).ToHaveCountAsync(6);
        await page.Locator(".nd-redo").ClickAsync();
        await Assertions.Expect(page.Locator(".nd-node")).ToHaveCountAsync(7);
    });

    [Fact]
    public Task Queueing_the_default_workflow_shows_progress_and_the_result() => fixture.RunAsync("queue", async page =>
    {
        await page.OpenEditorAsync();
        await page.Keyboard.PressAsync("Control+Enter");
        await Assertions.Expect(page.Locator(".nd-gallery-item")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Node("6")).ToHaveAttributeAsync("data-status", "done");
        await Assertions.Expect(page.Node("1")).ToHaveAttributeAsync("data-status", "done");
        var loaded = await page.Locator(".nd-gallery-item").EvaluateAsync<int>("img => img.complete ? img.naturalWidth : -1");
        Assert.Equal(384, loaded);
        await Assertions.Expect(page.Locator(".nd-history-success").First).ToBeVisibleAsync();

        // The same workflow again: every node comes from the cache.
        await page.Locator(".nd-queue-button").ClickAsync();
        await Assertions.Expect(page.Node("3")).ToHaveAttributeAsync("data-status", "cached");
    });

    [Fact]
    public Task A_validation_error_is_shown_on_its_node_and_input() => fixture.RunAsync("validation", async page =>
    {
        await page.OpenEditorAsync();
        var save = await page.AddNodeAsync("save image", "SaveImage");
        await page.Locator(".nd-queue-button").ClickAsync();
        await Assertions.Expect(save).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("nd-has-error"));
        await Assertions.Expect(save.Locator(".nd-row-error[data-input='images']")).ToBeVisibleAsync();
        await Assertions.Expect(save.Locator(".nd-error-text[data-error-code='missing_required_input']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "Not queued" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Node("1")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("nd-has-error"));
    });

    [Fact]
    public Task A_workflow_is_autosaved_saved_as_a_file_and_loaded_back() => fixture.RunAsync("save-load", async page =>
    {
        await page.OpenEditorAsync();
        var width = page.Node("1").Locator("input[name='width']");
        await width.FillAsync("320");
        await width.PressAsync("Tab");
        await page.WaitForTimeoutAsync(300);

        var serverCopy = fixture.Server.PathOf("user", "workflows", "autosave.json");
        Assert.Equal(320, JsonNode.Parse(await File.ReadAllTextAsync(serverCopy, TestContext.Current.CancellationToken))!["nodes"]!["1"]!["inputs"]!["width"]!.GetValue<int>());

        await page.ReloadAsync();
        await page.Locator(".diagram-link path").First.WaitForAsync();
        await Assertions.Expect(page.Node("1").Locator("input[name='width']")).ToHaveValueAsync("320");
        await Assertions.Expect(page.Locator(".nd-undo")).ToBeDisabledAsync();

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator(".nd-save").ClickAsync());
        var path = await download.PathAsync();
        var saved = JsonNode.Parse(await File.ReadAllTextAsync(path!, TestContext.Current.CancellationToken))!;
        Assert.Equal("nodediffusion.workflow", saved["format"]!.GetValue<string>());
        Assert.Equal(320, saved["nodes"]!["1"]!["inputs"]!["width"]!.GetValue<int>());

        await page.Locator(".nd-reset").ClickAsync();
        await Assertions.Expect(page.Node("1").Locator("input[name='width']")).ToHaveValueAsync("256");
        await page.Locator(".nd-file-input").SetInputFilesAsync(path!);
        await Assertions.Expect(page.Node("1").Locator("input[name='width']")).ToHaveValueAsync("320");

        // Dropping a .json file on the canvas opens it too.
        saved["nodes"]!["1"]!["inputs"]!["width"] = 111;
        await page.Locator(".nd-canvas").EvaluateAsync(@"(canvas, text) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
            canvas.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }", saved.ToJsonString());
        await Assertions.Expect(page.Node("1").Locator("input[name='width']")).ToHaveValueAsync("111");
    });

    [Fact]
    public Task An_image_is_uploaded_from_the_Load_Image_node() => fixture.RunAsync("upload", async page =>
    {
        await page.OpenEditorAsync();
        var load = await page.AddNodeAsync("load image", "LoadImage");
        var file = Path.Combine(fixture.Server.Directory.Path, "upload-test.png");
        await File.WriteAllBytesAsync(file, Infrastructure.TestImages.Png(24, 12), TestContext.Current.CancellationToken);
        await load.Locator(".nd-upload input[type='file']").SetInputFilesAsync(file);
        await Assertions.Expect(load.Locator("select[name='image']")).ToHaveValueAsync("upload-test.png");
        await Assertions.Expect(load.Locator(".nd-thumbnail")).ToBeVisibleAsync();
        Assert.True(File.Exists(fixture.Server.PathOf("input", "upload-test.png")));

        var text = Path.Combine(fixture.Server.Directory.Path, "not-an-image.png");
        await File.WriteAllTextAsync(text, "hello", TestContext.Current.CancellationToken);
        await load.Locator(".nd-upload input[type='file']").SetInputFilesAsync(text);
        await Assertions.Expect(load.Locator(".nd-upload-error")).ToContainTextAsync("does not decode");
        await Assertions.Expect(load.Locator("select[name='image']")).ToHaveValueAsync("upload-test.png");
    });

    [Fact]
    public Task Deleting_a_node_removes_its_links_and_one_undo_brings_both_back() => fixture.RunAsync("delete-undo", async page =>
    {
        await page.OpenEditorAsync();
        await page.Node("4").Locator(".nd-title").ClickAsync();
        await page.Keyboard.PressAsync("Delete");
        await Assertions.Expect(page.Locator(".nd-node")).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator(".diagram-link")).ToHaveCountAsync(3);
        await page.Locator(".nd-undo").ClickAsync();
        await Assertions.Expect(page.Locator(".nd-node")).ToHaveCountAsync(6);
        await Assertions.Expect(page.Locator(".diagram-link")).ToHaveCountAsync(5);
    });
}

public sealed class EditorExecutionTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public Task A_running_node_is_highlighted_with_progress_and_a_live_preview() => fixture.RunAsync("progress", async page =>
    {
        await page.OpenEditorAsync();
        var slow = await page.AddNodeAsync("slow steps", "TestSlowSteps");
        var steps = slow.Locator("input[name='steps']");
        await steps.FillAsync("60");
        await steps.PressAsync("Tab");
        var delay = slow.Locator("input[name='delay_ms']");
        await delay.FillAsync("60");
        await delay.PressAsync("Tab");

        await page.Locator(".nd-queue-button").ClickAsync();
        await Assertions.Expect(slow).ToHaveAttributeAsync("data-status", "running");
        await Assertions.Expect(slow.Locator(".nd-progress-bar")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".nd-queue-running")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("img.nd-preview")).ToBeVisibleAsync();
        var previewWidth = await page.Locator("img.nd-preview").EvaluateAsync<int>(
            "img => new Promise(r => img.complete ? r(img.naturalWidth) : img.onload = () => r(img.naturalWidth))");
        Assert.Equal(8, previewWidth);
        await Assertions.Expect(slow).ToHaveAttributeAsync("data-status", "done", new() { Timeout = 60_000 });
        await Assertions.Expect(slow.Locator(".nd-text-output")).ToHaveTextAsync("60 steps");
    });

    [Fact]
    public Task The_queue_panel_cancels_pending_prompts_and_interrupts_the_running_one() => fixture.RunAsync("queue-panel", async page =>
    {
        await page.OpenEditorAsync();
        var slow = await page.AddNodeAsync("slow steps", "TestSlowSteps");
        foreach (var (name, value) in new[] { ("steps", "500"), ("delay_ms", "50") })
        {
            await slow.Locator($"input[name='{name}']").FillAsync(value);
            await slow.Locator($"input[name='{name}']").PressAsync("Tab");
        }
        await page.Locator(".nd-queue-button").ClickAsync();
        await Assertions.Expect(page.Locator(".nd-queue-running")).ToBeVisibleAsync();
        await page.Locator(".nd-queue-button").ClickAsync();
        await Assertions.Expect(page.Locator(".nd-queue-pending")).ToHaveCountAsync(1);
        await page.Locator(".nd-queue-pending .nd-cancel").ClickAsync();
        await Assertions.Expect(page.Locator(".nd-queue-pending")).ToHaveCountAsync(0);
        await page.Locator(".nd-queue-running .nd-interrupt").ClickAsync();
        await Assertions.Expect(page.Locator(".nd-queue-running")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".nd-history-cancelled").First).ToBeVisibleAsync();
        await Assertions.Expect(slow).Not.ToHaveAttributeAsync("data-status", "running");
    });

    [Fact]
    public Task An_execution_error_is_shown_on_the_node_and_as_a_toast() => fixture.RunAsync("execution-error", async page =>
    {
        await page.OpenEditorAsync();
        var fail = await page.AddNodeAsync("TestFail", "TestFail");
        await fail.Locator("input[name='message']").FillAsync("the disk is on fire");
        await fail.Locator("input[name='message']").PressAsync("Tab");
        await page.Keyboard.PressAsync("Control+Enter");
        await Assertions.Expect(fail).ToHaveAttributeAsync("data-status", "failed");
        await Assertions.Expect(fail.Locator(".nd-run-error")).ToContainTextAsync("the disk is on fire");
        await Assertions.Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "the disk is on fire" })).ToBeVisibleAsync();
    });
}
