using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.JSInterop;
using MudBlazor;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop.Import;
using NodeDiffusion.Server.Editor;
using NodeDiffusion.Server.Files;
using NodeDiffusion.Server.Hosting;

namespace NodeDiffusion.Server.Components.Pages;

/// <summary>Opening files: toolbar Load, a drop on the canvas and a gallery result all go through <see cref="LoadFile"/>.</summary>
public partial class EditorPage
{
    [Inject] private ServerOptions Limits { get; set; } = null!;

    private WorkflowFileLoader Loader => new(Host.Registry, Limits.MaxUploadBytes);

    private async Task OnFileChosenAsync(InputFileChangeEventArgs e)
    {
        if (TooLarge(e.File.Name, e.File.Size))
        {
            return;
        }
        try
        {
            await using var stream = e.File.OpenReadStream(Limits.MaxUploadBytes);
            LoadFile(e.File.Name, await ReadAllAsync(stream));
        }
        catch (IOException ex)
        {
            Snackbar.Add($"Could not read {e.File.Name}: {ex.Message}", Severity.Error);
        }
    }

    [JSInvokable]
    public async Task OnFileDropped(string name, long size, IJSStreamReference reference)
    {
        await using (reference)
        {
            if (TooLarge(name, size))
            {
                return;
            }
            try
            {
                await using var stream = await reference.OpenReadStreamAsync(Limits.MaxUploadBytes);
                LoadFile(name, await ReadAllAsync(stream));
            }
            catch (Exception ex) when (ex is IOException or JSException or ArgumentOutOfRangeException)
            {
                Snackbar.Add($"Could not read {name}: {ex.Message}", Severity.Error);
            }
        }
        StateHasChanged();
    }

    /// <summary>The gallery's "Load workflow": the result is one this page listed, resolved inside its folder again.</summary>
    private async Task LoadResultAsync(ViewFile file)
    {
        if (!_gallery.Contains(file))
        {
            return;
        }
        if (!file.TryResolve(Host.Settings.Roots, out var path, out var problem))
        {
            Snackbar.Add($"{file.Filename}: {problem}", Severity.Error);
            return;
        }
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            Snackbar.Add($"{file.Filename} is no longer in the {file.Type} folder.", Severity.Warning);
            return;
        }
        if (TooLarge(file.Filename, info.Length))
        {
            return;
        }
        LoadFile(file.Filename, await File.ReadAllBytesAsync(path));
    }

    private bool TooLarge(string name, long size)
    {
        if (size <= Limits.MaxUploadBytes)
        {
            return false;
        }
        Snackbar.Add($"{name} is {size:N0} bytes; at most {Limits.MaxUploadBytes:N0} bytes are accepted.", Severity.Error);
        return true;
    }

    /// <summary>Text from the browser (autosave, clipboard), bounded like a workflow file.</summary>
    private static async Task<string> ReadAsync(IJSStreamReference reference)
    {
        await using (reference)
        {
            await using var stream = await reference.OpenReadStreamAsync(MaxWorkflowBytes);
            using var reader = new StreamReader(stream);
            return await reader.ReadToEndAsync();
        }
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private void LoadFile(string name, byte[] bytes)
    {
        var load = Loader.Open(name, bytes);
        if (load.Result is not { } result)
        {
            Snackbar.Add(load.Error!, Severity.Warning);
            return;
        }
        LoadWorkflow(result.Workflow, name, result.MissingTypes);
    }

    /// <summary>Shows a workflow as one undo step, at its saved view (or fitted when it has none).</summary>
    private void LoadWorkflow(Workflow workflow, string source, IReadOnlyList<MissingNodeType> missingTypes)
    {
        _name = workflow.Name ?? Path.GetFileNameWithoutExtension(source);
        Apply(workflow);
        ShowView(workflow.Viewport);
        Commit();
        var missing = missingTypes.Count > 0
            ? missingTypes.Select(m => m.ComfyClass).Distinct().ToList()
            : _diagram.Nodes.OfType<GraphNodeModel>().Where(n => !n.Known).Select(n => n.TypeId).Distinct().ToList();
        if (missing.Count > 0)
        {
            Snackbar.Add($"Node types not installed here: {string.Join(", ", missing)}. They are kept but cannot run.", Severity.Warning);
        }
    }
}
