using Microsoft.AspNetCore.Components;
using MudBlazor;
using NodeDiffusion.Server.Components.Settings;
using NodeDiffusion.Server.Settings;

namespace NodeDiffusion.Server.Components.Pages;

/// <summary>The settings dialog, and the user's per-prompt settings sent with every prompt the editor queues.</summary>
public sealed partial class EditorPage
{
    [Inject] private UserSettingsStore Settings { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;

    private Task OpenSettingsAsync() =>
        Dialogs.ShowAsync<SettingsDialog>("Settings", new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true, CloseButton = true });
}
