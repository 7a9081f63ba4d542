using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace NodeDiffusion.Server.Tests.Browser;

/// <summary>The canvas: the saved view comes back, groups resize from their corner, widgets convert to inputs and back.</summary>
public sealed class EditorCanvasTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Layer = ".diagram-html-layer";

    [Fact]
    public Task The_view_is_saved_restored_on_reload_and_on_load_and_fitted_when_a_file_has_none() => fixture.RunAsync("canvas-viewport", async page =>
    {
        await page.OpenEditorAsync();
        await Assertions.Expect(page.Locator(Layer)).ToHaveAttributeAsync("style", new Regex(@"translate\(0px, 0px\) scale\(1\)"));

        // Pan by dragging empty canvas, then zoom with the wheel: neither is an undo step.
        await page.Mouse.MoveAsync(600, 760);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(700, 800, new MouseMoveOptions { Steps = 6 });
        await page.Mouse.UpAsync();
        await page.Mouse.WheelAsync(0, -100);
        await Assertions.Expect(page.Locator(Layer)).Not.ToHaveAttributeAsync("style", new Regex(@"scale\(1\)"));
        var view = (await page.Locator(Layer).GetAttributeAsync("style"))!;
        var zoom = double.Parse(Regex.Match(view, @"scale\(([0-9.]+)\)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator(".nd-undo")).ToBeDisabledAsync();

        // The view is autosaved once it rests; a reload shows exactly that view.
        await page.WaitForFunctionAsync(
            "zoom => { const w = JSON.parse(localStorage.getItem('nodediffusion.autosave') || '{}'); return !!w.viewport && Math.abs(w.viewport.zoom - zoom) < 1e-3; }",
            zoom);
        await page.ReloadAsync();
        await page.Locator(".diagram-link path").First.WaitForAsync();
        await Assertions.Expect(page.Locator(Layer)).ToHaveAttributeAsync("style", new Regex(@"scale\(" + Regex.Escape(zoom.ToString(System.Globalization.CultureInfo.InvariantCulture)) + @"\)"));
        var restored = Transform((await page.Locator(Layer).GetAttributeAsync("style"))!);
        var before = Transform(view);
        Assert.Equal(before.X, restored.X, 0.01);
        Assert.Equal(before.Y, restored.Y, 0.01);
        var saved = await SavedWorkflowAsync(page);
        Assert.Equal(zoom, saved["viewport"]!["zoom"]!.GetValue<double>(), 3);

        // A file's view is shown as saved (ComfyUI's offset × scale is the diagram's pan).
        saved["viewport"] = new JsonObject { ["x"] = -100, ["y"] = -50, ["zoom"] = 0.5 };
        await LoadAsync(page, saved, "with-view.json");
        await Assertions.Expect(page.Locator(Layer)).ToHaveAttributeAsync("style", new Regex(@"translate\(-50px, -25px\) scale\(0\.5\)"));

        // Without a view, every node is fitted into the canvas.
        saved.AsObject().Remove("viewport");
        saved["nodes"]!["6"]!["layout"]!["pos"] = new JsonArray(3000, 1400);
        await LoadAsync(page, saved, "without-view.json");
        await Assertions.Expect(page.Locator(Layer)).Not.ToHaveAttributeAsync("style", new Regex(@"scale\(0\.5\)"));
        var canvas = (await page.Locator(".nd-canvas").BoundingBoxAsync())!;
        foreach (var id in new[] { "1", "6" })
        {
            var box = (await page.Node(id).BoundingBoxAsync())!;
            Assert.True(box.X >= canvas.X && box.Y >= canvas.Y && box.X + box.Width <= canvas.X + canvas.Width && box.Y + box.Height <= canvas.Y + canvas.Height,
                $"node {id} at {box.X},{box.Y} {box.Width}×{box.Height} should be inside the canvas {canvas.X},{canvas.Y} {canvas.Width}×{canvas.Height}");
        }
    });

    [Fact]
    public Task A_group_resizes_from_its_corner_in_one_undo_step_and_then_carries_what_it_frames() => fixture.RunAsync("canvas-group-resize", async page =>
    {
        await page.OpenEditorAsync();
        var sources = page.Locator(".nd-group[data-group-title='Sources']");
        await Assertions.Expect(sources).ToHaveAttributeAsync("style", new Regex(@"width:300px;height:500px"));

        // The group (20, 40, 300 × 500) grows to 500 wide: node 3 at (360, 160) is now inside, and stays where it is.
        await page.DragByAsync(sources.Locator(".nd-group-resize"), 200, 0);
        await Assertions.Expect(sources).ToHaveAttributeAsync("style", new Regex(@"width:500px;height:500px"));
        await Assertions.Expect(page.Wrapper("3")).ToHaveAttributeAsync("style", new Regex(@"top: 160px; left: 360px"));
        var saved = await SavedWorkflowAsync(page);
        Assert.Equal([20.0, 40.0, 500.0, 500.0], saved["groups"]![0]!["bounding"]!.AsArray().Select(n => n!.GetValue<double>()));

        await page.DragByAsync(sources.Locator(".nd-group-title"), 0, 100);
        await Assertions.Expect(page.Wrapper("3")).ToHaveAttributeAsync("style", new Regex(@"top: 260px; left: 360px"));

        await page.Keyboard.PressAsync("Control+z");
        await Assertions.Expect(page.Wrapper("3")).ToHaveAttributeAsync("style", new Regex(@"top: 160px; left: 360px"));
        await Assertions.Expect(page.Locator(".nd-group[data-group-title='Sources']")).ToHaveAttributeAsync("style", new Regex(@"width:500px"));
        await page.Keyboard.PressAsync("Control+z");
        await Assertions.Expect(page.Locator(".nd-group[data-group-title='Sources']")).ToHaveAttributeAsync("style", new Regex(@"width:300px;height:500px"));
        await Assertions.Expect(page.Locator(".nd-undo")).ToBeDisabledAsync();
    });

    [Fact]
    public Task A_widget_converts_to_an_input_needs_a_link_survives_a_reload_and_converts_back() => fixture.RunAsync("canvas-widget-input", async page =>
    {
        await page.OpenEditorAsync();
        var row = page.Node("5").Locator(".nd-row[data-input='width']");
        await Assertions.Expect(row.Locator("input[name='width']")).ToHaveValueAsync("384");

        await page.MenuAsync(page.Node("5").Locator(".nd-title"), "to-input:width");
        await Assertions.Expect(row.Locator(".nd-widget")).ToHaveCountAsync(0);
        await Assertions.Expect(row.Locator(".nd-label")).ToHaveTextAsync("width");
        await Assertions.Expect(page.InputSocket("5", "width")).ToBeVisibleAsync();

        await page.Locator(".nd-queue-button").ClickAsync();
        await Assertions.Expect(page.Node("5").Locator(".nd-error-text[data-error-code='missing_required_input']")).ToContainTextAsync("Required input is missing");
        await Assertions.Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "Not queued" })).ToBeVisibleAsync();

        var saved = await SavedWorkflowAsync(page);
        Assert.Equal(["width"], saved["nodes"]!["5"]!["converted_widgets"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(384, saved["nodes"]!["5"]!["inputs"]!["width"]!.GetValue<int>());

        await page.WaitForFunctionAsync("() => (localStorage.getItem('nodediffusion.autosave') || '').includes('converted_widgets')");
        await page.ReloadAsync();
        await page.Locator(".diagram-link path").First.WaitForAsync();
        await Assertions.Expect(row.Locator(".nd-label")).ToHaveTextAsync("width");
        await Assertions.Expect(row.Locator(".nd-widget")).ToHaveCountAsync(0);

        // The menu now offers the way back, which is one undo step.
        await page.MenuAsync(page.Node("5").Locator(".nd-title"), "unlink:width");
        await Assertions.Expect(row.Locator("input[name='width']")).ToHaveValueAsync("384");
        await page.Keyboard.PressAsync("Control+z");
        await Assertions.Expect(row.Locator(".nd-widget")).ToHaveCountAsync(0);
        await page.Keyboard.PressAsync("Control+y");
        await Assertions.Expect(row.Locator("input[name='width']")).ToHaveValueAsync("384");
    });

    private static (double X, double Y) Transform(string style)
    {
        var match = Regex.Match(style, @"translate\((-?[0-9.e-]+)px, (-?[0-9.e-]+)px\)");
        Assert.True(match.Success, style);
        return (double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            double.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task LoadAsync(IPage page, JsonNode workflow, string name)
    {
        await page.Locator(".nd-file-input").SetInputFilesAsync(new FilePayload
        {
            Name = name,
            MimeType = "application/json",
            Buffer = System.Text.Encoding.UTF8.GetBytes(workflow.ToJsonString()),
        });
        await page.Locator(".diagram-link path").First.WaitForAsync();
    }

    private static async Task<JsonNode> SavedWorkflowAsync(IPage page)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator(".nd-save").ClickAsync());
        return JsonNode.Parse(await File.ReadAllTextAsync((await download.PathAsync())!, TestContext.Current.CancellationToken))!;
    }
}
