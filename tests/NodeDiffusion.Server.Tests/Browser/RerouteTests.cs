using Microsoft.Playwright;

namespace NodeDiffusion.Server.Tests.Browser;

public sealed class RerouteTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public Task A_reroute_added_on_a_link_carries_its_type_refuses_other_links_undoes_and_runs() => fixture.RunAsync("reroute", async page =>
    {
        await page.OpenEditorAsync();
        // Right-click the middle of one of the IMAGE links and split it there.
        var middle = await page.Locator("g[data-link-id] path").Nth(3).EvaluateAsync<float[]>(@"path => {
            const p = path.getPointAtLength(path.getTotalLength() / 2).matrixTransform(path.getScreenCTM());
            return [p.x, p.y];
        }");
        await page.Mouse.ClickAsync(middle[0], middle[1], new() { Button = MouseButton.Right });
        await page.Locator(".nd-menu[data-menu='link'] [data-action='add-reroute']").ClickAsync();
        var reroute = page.Locator(".nd-reroute");
        await Assertions.Expect(reroute).ToHaveCountAsync(1);
        await Assertions.Expect(reroute).ToHaveAttributeAsync("data-carries", "IMAGE");
        await Assertions.Expect(page.Locator(".diagram-link")).ToHaveCountAsync(6);
        var box = (await reroute.BoundingBoxAsync())!;
        Assert.True(box.Width < 60 && box.Height < 30, $"the reroute is {box.Width}×{box.Height}, not a compact pill");
        Assert.InRange(box.X + (box.Width / 2), middle[0] - 20, middle[0] + 20);

        // Fed IMAGE, its output does not link to an INT input, and the refusal says why.
        var id = await reroute.GetAttributeAsync("data-node-id");
        await page.DragAsync(page.Output(id!), page.InputSocket("5", "width"));
        await Assertions.Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "carrying IMAGE" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".diagram-link")).ToHaveCountAsync(6);

        // One undo takes the reroute out and restores the link; redo puts it back.
        await page.Locator(".nd-undo").ClickAsync();
        await Assertions.Expect(reroute).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".diagram-link")).ToHaveCountAsync(5);
        await page.Locator(".nd-redo").ClickAsync();
        await Assertions.Expect(reroute).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".diagram-link")).ToHaveCountAsync(6);

        // The node search adds one too: unfed it carries "*", fed from Blue it carries IMAGE.
        var searched = await page.AddNodeAsync("reroute", "Reroute", 600, 650);
        await Assertions.Expect(searched).ToHaveAttributeAsync("data-carries", "*");
        await page.DragAsync(page.Output("1"), searched.Locator(".nd-reroute-in .nd-port"));
        await Assertions.Expect(searched).ToHaveAttributeAsync("data-carries", "IMAGE");
        await Assertions.Expect(searched.Locator(".nd-reroute-out .nd-port")).ToHaveCSSAsync("background-color", "rgb(100, 181, 246)"); // PortColors IMAGE

        // The workflow runs through the reroute.
        await page.Locator(".nd-queue-button").ClickAsync();
        await Assertions.Expect(page.Locator(".nd-gallery-item")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Node("6")).ToHaveAttributeAsync("data-status", "done");
        var loaded = await page.Locator(".nd-gallery-item").EvaluateAsync<int>("img => img.complete ? img.naturalWidth : -1");
        Assert.Equal(384, loaded);
    });
}
