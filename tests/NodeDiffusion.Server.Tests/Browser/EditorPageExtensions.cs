using Microsoft.Playwright;

namespace NodeDiffusion.Server.Tests.Browser;

/// <summary>Gestures on the editor: open it, find nodes and sockets, drag links, search.</summary>
public static class EditorPageExtensions
{
    public static async Task OpenEditorAsync(this IPage page, int expectedNodes = 6)
    {
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator(".nd-node")).ToHaveCountAsync(expectedNodes);
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

    /// <summary>Drags from a socket and lets go at a point of the page.</summary>
    public static async Task DragToPointAsync(this IPage page, ILocator from, float x, float y)
    {
        var a = (await from.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(a.X + (a.Width / 2), a.Y + (a.Height / 2));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(x, y, new MouseMoveOptions { Steps = 10 });
        await page.Mouse.UpAsync();
    }

    /// <summary>Presses the mouse on an element, moves it by (dx, dy) and lets go.</summary>
    public static async Task DragByAsync(this IPage page, ILocator handle, float dx, float dy)
    {
        var a = (await handle.BoundingBoxAsync())!;
        var x = a.X + Math.Min(40, a.Width / 2);
        var y = a.Y + (a.Height / 2);
        await page.Mouse.MoveAsync(x, y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(x + dx, y + dy, new MouseMoveOptions { Steps = 8 });
        await page.Mouse.UpAsync();
    }

    /// <summary>The diagram's wrapper of a node or group, whose style holds its canvas position.</summary>
    public static ILocator Wrapper(this IPage page, string id) => page.Locator($".diagram-node[data-node-id='{id}']");

    /// <summary>Right-clicks an element and picks a context-menu action.</summary>
    public static async Task MenuAsync(this IPage page, ILocator target, string action)
    {
        await target.ClickAsync(new LocatorClickOptions { Button = MouseButton.Right });
        var item = page.Locator($".nd-menu [data-action='{action}']");
        await item.ClickAsync();
        await Assertions.Expect(page.Locator(".nd-menu")).ToHaveCountAsync(0);
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
