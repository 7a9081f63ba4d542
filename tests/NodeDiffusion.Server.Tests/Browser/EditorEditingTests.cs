using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace NodeDiffusion.Server.Tests.Browser;

/// <summary>Editing beyond add/link/delete: modes, clipboard, link-drop search, context menus, groups, minimap and snap.</summary>
public sealed class EditorEditingTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly string[] ClipboardPermissions = ["clipboard-read", "clipboard-write"];

    [Fact]
    public Task Bypass_and_mute_show_on_the_node_are_saved_undone_and_honoured_when_queued() => fixture.RunAsync("modes", async page =>
    {
        await page.OpenEditorAsync();
        var invert = page.Node("4");
        await invert.Locator(".nd-title").ClickAsync();
        await page.Keyboard.PressAsync("Control+b");
        await Assertions.Expect(invert).ToHaveAttributeAsync("data-mode", "bypassed");
        await Assertions.Expect(invert).ToHaveClassAsync(new Regex("nd-mode-bypassed"));

        // Queued: the bypassed invert passes its image through and never runs; everything after it does.
        await page.Keyboard.PressAsync("Control+Enter");
        await Assertions.Expect(page.Node("6")).ToHaveAttributeAsync("data-status", "done");
        await Assertions.Expect(invert).ToHaveAttributeAsync("data-status", "idle");

        var saved = await SavedWorkflowAsync(page);
        Assert.Equal("bypassed", saved["nodes"]!["4"]!["mode"]!.GetValue<string>());

        await invert.Locator(".nd-title").ClickAsync();
        await page.Keyboard.PressAsync("Control+m");
        await Assertions.Expect(invert).ToHaveAttributeAsync("data-mode", "muted");
        await Assertions.Expect(invert).ToHaveClassAsync(new Regex("nd-mode-muted"));
        await page.Keyboard.PressAsync("Control+m");
        await Assertions.Expect(invert).ToHaveAttributeAsync("data-mode", "normal");
        await page.Keyboard.PressAsync("Control+z");
        await Assertions.Expect(invert).ToHaveAttributeAsync("data-mode", "muted");

        // The node's context menu does the same.
        await page.MenuAsync(page.Node("5").Locator(".nd-title"), "bypass");
        await Assertions.Expect(page.Node("5")).ToHaveAttributeAsync("data-mode", "bypassed");
        await page.MenuAsync(page.Node("5").Locator(".nd-title"), "collapse");
        await Assertions.Expect(page.Node("5")).ToHaveClassAsync(new Regex("nd-collapsed"));
        await Assertions.Expect(page.Node("5").Locator("select[name='upscale_method']")).ToBeHiddenAsync();
        await page.MenuAsync(page.Node("5").Locator(".nd-title"), "colour:red");
        await Assertions.Expect(page.Node("5").Locator(".nd-title")).ToHaveAttributeAsync("style", new Regex("#322"));
        saved = await SavedWorkflowAsync(page);
        Assert.True(saved["nodes"]!["5"]!["layout"]!["collapsed"]!.GetValue<bool>());
        Assert.Equal("#533", saved["nodes"]!["5"]!["layout"]!["bgcolor"]!.GetValue<string>());
    });

    [Fact]
    public Task Copy_and_paste_go_through_the_system_clipboard_into_another_tab() => fixture.RunAsync("clipboard", async page =>
    {
        await page.OpenEditorAsync();
        await page.Node("3").Locator(".nd-title").ClickAsync();
        await page.Node("4").Locator(".nd-title").ClickAsync(new() { Modifiers = [KeyboardModifier.Control] });
        // The browser's clipboard outlives a test's page: start from an empty one.
        await page.EvaluateAsync("navigator.clipboard.writeText('')");
        await page.Keyboard.PressAsync("Control+c");
        await page.WaitForFunctionAsync("async () => (await navigator.clipboard.readText()).includes('nodediffusion.workflow')");
        var clip = JsonNode.Parse(await page.EvaluateAsync<string>("navigator.clipboard.readText()"))!;
        Assert.Equal(new[] { "3", "4" }, clip["nodes"]!.AsObject().Select(p => p.Key).ToArray());

        await page.Mouse.MoveAsync(300, 760);
        await page.Keyboard.PressAsync("Control+v");
        await Assertions.Expect(page.Locator(".nd-node")).ToHaveCountAsync(8);
        await Assertions.Expect(page.Node("7")).ToHaveAttributeAsync("data-node-type", "ImageBlend");
        await Assertions.Expect(page.Node("8")).ToHaveAttributeAsync("data-node-type", "ImageInvert");
        // Only the link between the copied nodes comes along.
        await Assertions.Expect(page.Locator(".diagram-link")).ToHaveCountAsync(6);
        await Assertions.Expect(page.InputSocket("8", "image")).ToHaveClassAsync(new Regex("has-links"));
        await Assertions.Expect(page.InputSocket("7", "image1")).Not.ToHaveClassAsync(new Regex("has-links"));

        // One undo removes the whole paste; Ctrl+Shift+V keeps the links from outside the selection.
        await page.Keyboard.PressAsync("Control+z");
        await Assertions.Expect(page.Locator(".nd-node")).ToHaveCountAsync(6);
        await page.Mouse.MoveAsync(300, 760);
        await page.Keyboard.PressAsync("Control+Shift+v");
        await Assertions.Expect(page.Locator(".nd-node")).ToHaveCountAsync(8);
        await Assertions.Expect(page.Locator(".diagram-link")).ToHaveCountAsync(8);
        await Assertions.Expect(page.InputSocket("7", "image1")).ToHaveClassAsync(new Regex("has-links"));

        // Another tab reads the same clipboard.
        var other = await page.Context.NewPageAsync();
        await other.GotoAsync("/");
        await other.Locator(".diagram-link path").First.WaitForAsync();
        await other.Locator(".nd-reset").ClickAsync();
        await Assertions.Expect(other.Locator(".nd-node")).ToHaveCountAsync(6);
        await other.BringToFrontAsync();
        await other.Mouse.MoveAsync(300, 760);
        await other.Keyboard.PressAsync("Control+v");
        await Assertions.Expect(other.Locator(".nd-node")).ToHaveCountAsync(8);
        await Assertions.Expect(other.Node("8")).ToHaveAttributeAsync("data-node-type", "ImageInvert");
    }, ClipboardPermissions);

    [Fact]
    public Task Paste_falls_back_to_the_page_when_the_clipboard_is_refused() => fixture.RunAsync("clipboard-refused", async page =>
    {
        await page.AddInitScriptAsync(@"
            const refuse = () => Promise.reject(new DOMException('Clipboard access refused', 'NotAllowedError'));
            Object.defineProperty(navigator, 'clipboard', { value: { readText: refuse, writeText: refuse } });");
        await page.OpenEditorAsync();
        await page.Node("4").Locator(".nd-title").ClickAsync();
        await page.Keyboard.PressAsync("Control+c");
        await page.Mouse.MoveAsync(300, 760);
        await page.Keyboard.PressAsync("Control+v");
        await Assertions.Expect(page.Locator(".nd-node")).ToHaveCountAsync(7);
        await Assertions.Expect(page.Node("7")).ToHaveAttributeAsync("data-node-type", "ImageInvert");

        // The canvas menu pastes too.
        await page.Locator(".nd-canvas").ClickAsync(new() { Button = MouseButton.Right, Position = new() { X = 500, Y = 700 } });
        await page.Locator(".nd-menu [data-action='paste']").ClickAsync();
        await Assertions.Expect(page.Locator(".nd-node")).ToHaveCountAsync(8);
    });

    [Fact]
    public Task A_link_dropped_on_empty_canvas_opens_a_filtered_search_and_connects_the_pick() => fixture.RunAsync("link-drop", async page =>
    {
        await page.OpenEditorAsync();
        await page.DragToPointAsync(page.Output("2"), 420, 720);
        var input = page.Locator(".nd-search-input");
        await Assertions.Expect(input).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator(".nd-search-caption")).ToContainTextAsync("IMAGE");
        await input.FillAsync("image");
        await Assertions.Expect(page.Locator(".nd-search-item[data-type='ImageInvert']")).ToHaveCountAsync(1);
        // Empty Image takes no image, so it is not offered.
        await Assertions.Expect(page.Locator(".nd-search-item[data-type='EmptyImage']")).ToHaveCountAsync(0);
        await input.FillAsync("invert");
        await input.PressAsync("Enter");
        await Assertions.Expect(page.NodesOfType("ImageInvert")).ToHaveCountAsync(2);
        var id = await page.NodesOfType("ImageInvert").Nth(1).GetAttributeAsync("data-node-id");
        await Assertions.Expect(page.Locator(".diagram-link")).ToHaveCountAsync(6);
        await Assertions.Expect(page.InputSocket(id!, "image")).ToHaveClassAsync(new Regex("has-links"));

        // Dragged from an input, the search offers nodes that give the input's type, and the link ends up output → input.
        await page.DragToPointAsync(page.InputSocket("6", "images"), 1000, 760);
        await Assertions.Expect(page.Locator(".nd-search-caption")).ToContainTextAsync("gives IMAGE");
        await Assertions.Expect(page.Locator(".nd-search-item[data-type='SaveImage']")).ToHaveCountAsync(0);
        await page.Locator(".nd-search-input").FillAsync("empty image");
        await page.Locator(".nd-search-input").PressAsync("Enter");
        await Assertions.Expect(page.NodesOfType("EmptyImage")).ToHaveCountAsync(3);
        var saved = await SavedWorkflowAsync(page);
        var source = saved["nodes"]!["6"]!["links"]!["images"]![0]!.GetValue<string>();
        Assert.Equal("EmptyImage", saved["nodes"]![source]!["type"]!.GetValue<string>());
        await Assertions.Expect(page.Locator(".diagram-link")).ToHaveCountAsync(6);
    });

    [Fact]
    public Task A_link_is_removed_from_its_context_menu() => fixture.RunAsync("link-menu", async page =>
    {
        await page.OpenEditorAsync();
        // Right-click the middle of the link from Invert Image to Upscale Image.
        var middle = await page.Locator("g[data-link-id] path").Nth(3).EvaluateAsync<float[]>(@"path => {
            const p = path.getPointAtLength(path.getTotalLength() / 2).matrixTransform(path.getScreenCTM());
            return [p.x, p.y];
        }");
        await page.Mouse.ClickAsync(middle[0], middle[1], new() { Button = MouseButton.Right });
        await page.Locator(".nd-menu[data-menu='link'] [data-action='remove-link']").ClickAsync();
        await Assertions.Expect(page.Locator(".diagram-link")).ToHaveCountAsync(4);
        await page.Keyboard.PressAsync("Control+z");
        await Assertions.Expect(page.Locator(".diagram-link")).ToHaveCountAsync(5);

        // A linked widget (here Upscale Image's width) goes back to a widget from the node's menu.
        var number = await page.AddNodeAsync("int", "PrimitiveInt");
        await page.DragAsync(number.Locator(".nd-out-row .nd-port"), page.InputSocket("5", "width"));
        await Assertions.Expect(page.Node("5").Locator("input[name='width']")).ToHaveCountAsync(0);
        await page.MenuAsync(page.Node("5").Locator(".nd-title"), "unlink:width");
        await Assertions.Expect(page.Node("5").Locator("input[name='width']")).ToHaveValueAsync("384");
        await Assertions.Expect(page.Locator(".diagram-link")).ToHaveCountAsync(5);
    });

    [Fact]
    public Task A_group_carries_its_nodes_and_Ctrl_G_groups_the_selection() => fixture.RunAsync("groups", async page =>
    {
        await page.OpenEditorAsync();
        var sources = page.Locator(".nd-group[data-group-title='Sources']");
        await Assertions.Expect(sources).ToBeVisibleAsync();

        // The default workflow's group is at (20, 40) around nodes 1 (40, 80) and 2 (40, 320); node 3 is outside it.
        await page.DragByAsync(sources.Locator(".nd-group-title"), 100, 60);
        await Assertions.Expect(page.Wrapper("1")).ToHaveAttributeAsync("style", new Regex(@"top: 140px; left: 140px"));
        await Assertions.Expect(page.Wrapper("2")).ToHaveAttributeAsync("style", new Regex(@"top: 380px; left: 140px"));
        await Assertions.Expect(page.Wrapper("3")).ToHaveAttributeAsync("style", new Regex(@"top: 160px; left: 360px"));
        var saved = await SavedWorkflowAsync(page);
        Assert.Equal(new[] { 120.0, 100.0 }, saved["groups"]![0]!["bounding"]!.AsArray().Take(2).Select(n => n!.GetValue<double>()));
        Assert.Equal(new[] { 140.0, 140.0 }, saved["nodes"]!["1"]!["layout"]!["pos"]!.AsArray().Select(n => n!.GetValue<double>()));

        // Titles are edited in place by double-clicking them.
        await sources.Locator(".nd-group-title").DblClickAsync();
        await page.Locator(".nd-rename").FillAsync("Inputs");
        await page.Locator(".nd-rename").PressAsync("Enter");
        await Assertions.Expect(page.Locator(".nd-group[data-group-title='Inputs']")).ToBeVisibleAsync();
        await page.Node("3").Locator(".nd-title-text").DblClickAsync();
        await page.Locator(".nd-rename").FillAsync("Mix");
        await page.Locator(".nd-rename").PressAsync("Enter");
        await Assertions.Expect(page.Node("3").Locator(".nd-title-text")).ToHaveTextAsync("Mix");

        await page.Node("5").Locator(".nd-title").ClickAsync();
        await page.Node("6").Locator(".nd-title").ClickAsync(new() { Modifiers = [KeyboardModifier.Control] });
        await page.Keyboard.PressAsync("Control+g");
        await Assertions.Expect(page.Locator(".nd-group")).ToHaveCountAsync(2);
        saved = await SavedWorkflowAsync(page);
        Assert.Equal("Mix", saved["nodes"]!["3"]!["layout"]!["title"]!.GetValue<string>());
        Assert.Contains(saved["groups"]!.AsArray(), g => g!["title"]!.GetValue<string>() == "Inputs");
        var added = saved["groups"]!.AsArray().Single(g => g!["title"]!.GetValue<string>() == "Group")!["bounding"]!.AsArray().Select(n => n!.GetValue<double>()).ToArray();
        Assert.True(added[0] < 900 && added[1] < 160 && added[0] + added[2] > 1180, $"the new group {string.Join(",", added)} should frame nodes 5 and 6");

        await page.Keyboard.PressAsync("Control+z");
        await Assertions.Expect(page.Locator(".nd-group")).ToHaveCountAsync(1);
    });

    [Fact]
    public Task The_minimap_toggles_and_grid_snap_can_be_turned_off() => fixture.RunAsync("minimap-snap", async page =>
    {
        await page.OpenEditorAsync();
        await Assertions.Expect(page.Locator(".nd-minimap")).ToBeVisibleAsync();
        await page.Locator(".nd-minimap-toggle").ClickAsync();
        await Assertions.Expect(page.Locator(".nd-minimap")).ToHaveCountAsync(0);
        await page.Locator(".nd-minimap-toggle").ClickAsync();
        await Assertions.Expect(page.Locator(".nd-minimap")).ToBeVisibleAsync();

        // Node 4 is at (640, 160). With snap on, 33 px to the right lands on the 20 px grid; with it off, exactly.
        await page.DragByAsync(page.Node("4").Locator(".nd-title"), 33, 0);
        await Assertions.Expect(page.Wrapper("4")).ToHaveAttributeAsync("style", new Regex(@"left: 680px"));
        await page.Locator(".nd-snap").ClickAsync();
        await Assertions.Expect(page.Locator(".nd-snap")).ToHaveAttributeAsync("aria-pressed", "false");
        await page.DragByAsync(page.Node("4").Locator(".nd-title"), 33, 0);
        await Assertions.Expect(page.Wrapper("4")).ToHaveAttributeAsync("style", new Regex(@"left: 713px"));
    });

    private static async Task<JsonNode> SavedWorkflowAsync(IPage page)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator(".nd-save").ClickAsync());
        return JsonNode.Parse(await File.ReadAllTextAsync((await download.PathAsync())!, TestContext.Current.CancellationToken))!;
    }
}
