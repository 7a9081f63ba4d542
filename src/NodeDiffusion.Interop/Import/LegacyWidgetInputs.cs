using System.Text.Json;
using NodeDiffusion.Interop.Json;

namespace NodeDiffusion.Interop.Import;

/// <summary>
/// What an unlinked <c>inputs[].widget</c> entry means. Before frontend 1.16 (ComfyUI_frontend#3326) a widget had an
/// input only once the user converted it, so the entry marks a conversion; since then every widget has one, and the
/// entry says nothing. Files without <c>extra.frontendVersion</c> come from the classic frontend.
/// </summary>
internal static class LegacyWidgetInputs
{
    private static readonly Version SocketsForEveryWidget = new(1, 16, 0);

    public static bool AreConversions(JsonElement root)
    {
        var version = JsonRead.String(JsonRead.Property(root, "extra"), "frontendVersion");
        if (version is null)
        {
            return true;
        }
        var core = version.Split('-', '+')[0];
        return Version.TryParse(core, out var parsed) && parsed < SocketsForEveryWidget;
    }
}
