using Microsoft.Playwright;

namespace NodeDiffusion.Server.Tests.Browser;

/// <summary>Gestures on the editor: open it, find nodes and sockets, drag links, search.</summary>
public static class EditorPageExtensions
{
    public static async Task OpenEditorAsync(this IPage page, int expectedNodes = 6)
    {
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator(".diagram-node")).ToHaveCountAsync(expectedNodes);
        await page.Locator(".diagram-link path").First.WaitForAsync();
        await page.WaitForTimeoutAsync(300); // ports are measured just after the links appear
    }

    public static ILocator Node(this IPage page, string id) => page.Locator($".nd-node[data-node-id='{id}']");

    public static ILocator NodesOfType(this IPage page, string type) => page.Locator($".nd-node[data-node-type='{type}']");

    public static ILocator Output(this IPage page, string nodeId, int index = 0) =>
        page.Locator($".nd-node[data-node-id='{nodeId}'] .nd-out-row[data-output='{index}'] .nd-port");

    public static ILocator InputSocket(this IPage page, string nodeId, string input) =>
        page.Locator($".nd-node[data-node-id='{nodeId}'] .nd-row[data-input='{input}'] .nd-port");

    public static async Task DragAsync(this IPage page, ILocator from, ILocator to)
    {
        var a = (await from.BoundingBoxAsync())!;
        var b = (await to.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(a.X + (a.Width / 2), a.Y + (a.Height / 2));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(a.X + (a.Width / 2) + 30, a.Y + (a.Height / 2) + 10, new MouseMoveOptions { Steps = 3 });
        await page.Mouse.MoveAsync(b.X + (b.Width / 2), b.Y + (b.Height / 2), new MouseMoveOptions { Steps = 10 });
        await page.Mouse.UpAsync();
        await page.WaitForTimeoutAsync(300);
    }

    /// <summary>Double-clicks empty canvas, types the query and picks the first result; returns the new node.</summary>
    public static async Task<ILocator> AddNodeAsync(this IPage page, string query, string expectedType, float x = 250, float y = 700)
    {
        var before = await page.NodesOfType(expectedType).CountAsync();
        await page.Mouse.DblClickAsync(x, y);
        var input = page.Locator(".nd-search-input");
        await input.WaitForAsync();
        await input.FillAsync(query);
        await Assertions.Expect(page.Locator(".nd-search-item").First).ToHaveAttributeAsync("data-type", expectedType);
        await input.PressAsync("Enter");
        await Assertions.Expect(page.NodesOfType(expectedType)).ToHaveCountAsync(before + 1);
        await page.WaitForTimeoutAsync(300);
        return page.NodesOfType(expectedType).Nth(before);
    }
}
