using System.Collections.Concurrent;
using Blazor.Diagrams;
using Blazor.Diagrams.Core.Anchors;
using Blazor.Diagrams.Core.Events;
using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using Blazor.Diagrams.Core.Models.Base;
using Blazor.Diagrams.Options;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.JSInterop;
using MudBlazor;
using NodeDiffusion.Engine.Events;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Engine.Queue;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Schema;
using NodeDiffusion.Graph.Validation;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Server.Api;
using NodeDiffusion.Server.Components.Editor;
using NodeDiffusion.Server.Editor;
using NodeDiffusion.Server.Files;

namespace NodeDiffusion.Server.Components.Pages;

/// <summary>
/// The node editor. The workflow is the source of truth: the diagram shows it, every edit records a snapshot
/// (undo/redo, autosave), and queueing validates it in-process and shows errors on the nodes.
/// </summary>
public sealed partial class EditorPage : IEditorContext, IAsyncDisposable
{
    private const long MaxWorkflowBytes = WorkflowLimits.MaxJsonBytes;
    private static readonly TimeSpan PreviewInterval = TimeSpan.FromMilliseconds(250);

    private readonly UndoHistory _undo = new();
    private readonly ConcurrentDictionary<string, bool> _myPrompts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ExecutionEvent> _events = new();
    private readonly List<ViewFile> _gallery = [];
    private BlazorDiagram _diagram = null!;
    private IReadOnlyList<NodeSchema> _schemas = [];
    private ElementReference _canvasHost;
    private DotNetObjectReference<EditorPage>? _self;
    private IDisposable? _subscription;
    private bool _applying;
    private int _drainScheduled;
    private int _commitScheduled;
    private string? _name;
    private SearchRequest? _search;
    private MenuRequest? _menu;
    private Workflow? _carry;
    private bool _showMinimap = true;
    private bool _snapToGrid = true;
    private string? _previewUrl;
    private DateTime _lastPreview;
    private int _previewSeq;

    [Inject] private EngineHost Host { get; set; } = null!;
    [Inject] private PromptSubmission Submission { get; set; } = null!;
    [Inject] private PromptQueue Queue { get; set; } = null!;
    [Inject] private EventFanOut Events { get; set; } = null!;
    [Inject] private UserWorkflowStore Store { get; set; } = null!;
    [Inject] private DefaultWorkflows Defaults { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;
    [Inject] private ILogger<EditorPage> Logger { get; set; } = null!;

    public IComboOptionsProvider ComboOptions => Host.ComboOptions;

    /// <summary>An open node search: where, and the socket a dropped link came from (the search is then filtered).</summary>
    private sealed record SearchRequest(double ClientX, double ClientY, Point Position, TypedPortModel? From = null, IReadOnlyList<NodeSchema>? Schemas = null);

    protected override void OnInitialized()
    {
        _schemas = Host.Registry.Definitions.Select(d => d.Schema).OrderBy(s => s.DisplayName, StringComparer.Ordinal).ToList();
        var options = new BlazorDiagramOptions
        {
            GridSize = 20,
            AllowMultiSelection = true,
            Zoom = { Inverse = true, Minimum = 0.2, Maximum = 2 },
            Links =
            {
                EnableSnapping = false,
                RequireTarget = true,
                // A link can be drawn from either end; one drawn from an input is turned around when it attaches.
                Factory = (_, source, target) => source is TypedPortModel port
                    ? new LinkModel(new SinglePortAnchor(port), target) { Color = PortColors.Of(port.DataType), SelectedColor = "#ffffff" }
                    : null,
            },
        };
        _diagram = new BlazorDiagram(options);
        _diagram.RegisterComponent<GraphNodeModel, NodeCard>();
        _diagram.RegisterComponent<RerouteNodeModel, RerouteNode>();
        _diagram.RegisterComponent<GroupBoxModel, GroupBox>();
        _diagram.Links.Added += OnLinkAdded;
        _diagram.Links.Removed += OnLinkRemoved;
        _diagram.Nodes.Added += OnNodeAdded;
        _diagram.PointerDown += OnPointerDown;
        _diagram.Nodes.Removed += _ => ScheduleCommit();
        _diagram.PointerDoubleClick += OnPointerDoubleClick;
        _subscription = Events.Subscribe(OnEngineEvent);
        InitViewport();
        LoadInitial(Defaults.Load(), "default");
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }
        _self = DotNetObjectReference.Create(this);
        await JS.InvokeVoidAsync("ndEditor.init", _self, _canvasHost);
        if (await JS.InvokeAsync<bool>("ndEditor.hasLocal"))
        {
            var stream = await JS.InvokeAsync<IJSStreamReference>("ndEditor.loadLocal");
            var text = await ReadAsync(stream);
            var parsed = WorkflowJson.Parse(text);
            if (parsed.Workflow is { } workflow && parsed.Errors.Count == 0)
            {
                Apply(workflow);
                ShowView(workflow.Viewport);
                _name = workflow.Name;
                _undo.Reset(Snapshot());
                StateHasChanged();
            }
        }
    }

    private void LoadInitial(string? json, string fallbackName)
    {
        var parsed = json is null ? null : WorkflowJson.Parse(json);
        var workflow = parsed?.Workflow ?? new Workflow { Name = fallbackName };
        _name = workflow.Name ?? fallbackName;
        Apply(workflow);
        ShowView(workflow.Viewport);
        _undo.Record(Snapshot());
    }

    // ---- IEditorContext -------------------------------------------------------------------------------------

    public void ValueChanged(GraphNodeModel node, string inputName) => Commit();

    public void LinkRefused(string reason) => Snackbar.Add(reason, Severity.Warning, key: reason);

    // ---- graph edits ---------------------------------------------------------------------------------------

    private void OnLinkAdded(BaseLinkModel link) => link.TargetAttached += OnTargetAttached;

    // One link per input: a new link into an occupied input replaces the old one.
    private void OnTargetAttached(BaseLinkModel link)
    {
        if (link.Source.Model is TypedPortModel { IsInput: true } from && link.Target.Model is TypedPortModel { IsInput: false } output)
        {
            // Drawn from an input: store it as every other link, output → input.
            _diagram.Links.Remove(link);
            Connect(output, from);
        }
        else if (link.Target.Model is TypedPortModel { IsInput: true } input)
        {
            ReplaceInputLinks(input, link);
        }
        Commit();
    }

    private void Connect(TypedPortModel output, TypedPortModel input)
    {
        var link = WorkflowMapper.NewLink(output, input);
        _diagram.Links.Add(link);
        ReplaceInputLinks(input, link);
    }

    private void ReplaceInputLinks(TypedPortModel input, BaseLinkModel keep)
    {
        var others = input.Links.Where(other => other != keep).ToList();
        if (others.Count > 0)
        {
            _diagram.Links.Remove(others);
        }
        input.Node.Errors.RemoveAll(e => e.InputName == input.Name);
        input.Node.Refresh();
    }

    private void OnPointerDoubleClick(Model? model, PointerEventArgs e)
    {
        if (model is not null)
        {
            return;
        }
        _search = new SearchRequest(e.ClientX, e.ClientY, _diagram.GetRelativeMousePoint(e.ClientX, e.ClientY));
        _ = InvokeAsync(async () =>
        {
            StateHasChanged();
            await Task.Yield();
            await JS.InvokeVoidAsync("ndEditor.focusSearch");
        });
    }

    private void CloseSearch() => _search = null;

    private void ToggleSnap()
    {
        _snapToGrid = !_snapToGrid;
        _diagram.Options.GridSize = _snapToGrid ? 20 : null;
    }

    private void AddNodeAsync(NodeSchema schema)
    {
        var search = _search;
        _search = null;
        var position = search?.Position ?? new Point(100, 100);
        var from = search?.From;
        if (from is { IsInput: true })
        {
            position = new Point(position.X - 260, position.Y - 20);
        }
        var id = NextNodeId();
        var node = RerouteNodeModel.Create(id, schema, known: true, this, position);
        _diagram.Nodes.Add(node);
        if (from is not null && _diagram.Nodes.Contains(from.Node))
        {
            ConnectToNew(from, node);
        }
        Commit();
    }

    private string NextNodeId()
    {
        var max = _diagram.Nodes.Select(n => long.TryParse(n.Id, out var number) ? number : 0).DefaultIfEmpty(0).Max();
        return (max + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private Workflow CurrentWorkflow()
    {
        var workflow = WorkflowMapper.ToWorkflow(_diagram, _name, _carry);
        workflow.Viewport = CurrentViewport();
        return workflow;
    }

    /// <summary>An undo step: the workflow without the view, so that panning is no step and undo does not move the view.</summary>
    private string Snapshot() => Snapshot(CurrentWorkflow());

    private static string Snapshot(Workflow workflow)
    {
        var viewport = workflow.Viewport;
        workflow.Viewport = null;
        var snapshot = WorkflowJson.Serialize(workflow, indented: false);
        workflow.Viewport = viewport;
        return snapshot;
    }

    /// <summary>
    /// Commits once the current gesture has finished, so that deleting a selection (nodes and their links) or moving
    /// several nodes is a single undo step.
    /// </summary>
    private void ScheduleCommit()
    {
        if (_applying || Interlocked.Exchange(ref _commitScheduled, 1) == 1)
        {
            return;
        }
        _ = InvokeAsync(async () =>
        {
            await Task.Yield();
            Volatile.Write(ref _commitScheduled, 0);
            Commit();
        });
    }

    /// <summary>Records the current state as one undo step and autosaves it.</summary>
    private void Commit()
    {
        if (_applying)
        {
            return;
        }
        RefreshReroutes();
        var workflow = CurrentWorkflow();
        if (_undo.Record(Snapshot(workflow)))
        {
            _ = AutosaveAsync(WorkflowJson.Serialize(workflow, indented: false));
            _ = InvokeAsync(StateHasChanged);
        }
    }

    private async Task AutosaveAsync(string snapshot)
    {
        try
        {
            Store.Save(UserWorkflowStore.AutosaveName, snapshot);
            await JS.InvokeAsync<bool>("ndEditor.saveLocal", snapshot);
        }
        catch (Exception e) when (e is IOException or JSException or JSDisconnectedException or TaskCanceledException or ArgumentException)
        {
            Logger.LogWarning(e, "Autosave failed");
        }
    }

    private void Apply(Workflow workflow)
    {
        _applying = true;
        _carry = workflow;
        try
        {
            WorkflowMapper.Load(_diagram, workflow, Host.Registry, this);
            RefreshReroutes();
        }
        finally
        {
            _applying = false;
        }
    }

    private void ApplySnapshot(string snapshot)
    {
        if (WorkflowJson.Parse(snapshot).Workflow is { } workflow)
        {
            _name = workflow.Name;
            Apply(workflow);
            _ = AutosaveAsync(WorkflowJson.Serialize(CurrentWorkflow(), indented: false));
        }
    }

    private Task UndoAsync()
    {
        if (_undo.Undo() is { } snapshot)
        {
            ApplySnapshot(snapshot);
        }
        return Task.CompletedTask;
    }

    private Task RedoAsync()
    {
        if (_undo.Redo() is { } snapshot)
        {
            ApplySnapshot(snapshot);
        }
        return Task.CompletedTask;
    }

    // ---- files ---------------------------------------------------------------------------------------------

    private async Task SaveAsync()
    {
        var json = WorkflowJson.Serialize(CurrentWorkflow());
        var fileName = string.Concat((_name ?? "workflow").Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-')).Trim('-');
        await JS.InvokeVoidAsync("ndEditor.download", (fileName.Length == 0 ? "workflow" : fileName) + ".json", json);
    }

    private void ResetAsync()
    {
        var parsed = Defaults.Load() is { } json ? WorkflowJson.Parse(json).Workflow : null;
        if (parsed is null)
        {
            Snackbar.Add("There is no default workflow on this server.", Severity.Warning);
            return;
        }
        _name = parsed.Name;
        Apply(parsed);
        ShowView(parsed.Viewport);
        Commit();
    }

    [JSInvokable]
    public async Task OnShortcut(string action)
    {
        switch (action)
        {
            case "queue":
                await QueueAsync(false);
                break;
            case "queue-front":
                await QueueAsync(true);
                break;
            case "undo":
                await UndoAsync();
                break;
            case "redo":
                await RedoAsync();
                break;
            case "save":
                await SaveAsync();
                break;
            case "bypass":
                ToggleMode(Selection(), NodeMode.Bypassed);
                break;
            case "mute":
                ToggleMode(Selection(), NodeMode.Muted);
                break;
            case "collapse":
                ToggleCollapse(Selection());
                break;
            case "group":
                AddGroup(null);
                break;
            case "escape":
                _menu = null;
                _search = null;
                break;
        }
        StateHasChanged();
    }

    // ---- queueing and execution feedback -------------------------------------------------------------------

    private Task QueueAsync(bool front)
    {
        var nodes = _diagram.Nodes.OfType<GraphNodeModel>().ToList();
        foreach (var node in nodes)
        {
            node.Errors.Clear();
            node.Run.Reset();
        }
        // Listen before queueing: a fast prompt can finish before Submit returns.
        var promptId = Guid.NewGuid();
        _myPrompts[promptId.ToString()] = true;
        var result = Submission.Submit(CurrentWorkflow(), "editor", front, promptId: promptId, options: Settings.OptionsForPrompt());
        if (!result.Accepted)
        {
            _myPrompts.TryRemove(promptId.ToString(), out _);
            ShowValidationErrors(result.Errors, nodes);
        }
        else
        {
            foreach (var node in nodes)
            {
                node.Run.Status = NodeRunStatus.Queued;
            }
            Snackbar.Add($"Queued #{result.Prompt!.Number}", Severity.Info);
            AdvanceSeeds(nodes);
        }
        foreach (var node in nodes)
        {
            node.Refresh();
        }
        StateHasChanged();
        return Task.CompletedTask;
    }

    private void ShowValidationErrors(IReadOnlyList<ValidationError> errors, List<GraphNodeModel> nodes)
    {
        var byId = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        foreach (var error in errors)
        {
            if (error.NodeId is { } id && byId.TryGetValue(id, out var node))
            {
                node.Errors.Add(error);
            }
        }
        var first = errors[0];
        var where = first.NodeId is { } nodeId && byId.TryGetValue(nodeId, out var firstNode) ? $"{firstNode.Title}: " : "";
        Snackbar.Add($"Not queued — {errors.Count} problem{(errors.Count == 1 ? "" : "s")}. {where}{first.Message}", Severity.Error);
    }

    private void AdvanceSeeds(List<GraphNodeModel> nodes)
    {
        var changed = false;
        foreach (var node in nodes)
        {
            foreach (var (name, control) in node.SeedControls.Where(c => c.Value != SeedControl.Fixed).ToList())
            {
                var input = node.Schema.FindInput(name);
                node.Values[name] = SeedControl.Apply(control, node.Values.GetValueOrDefault(name), input?.Min, input?.Max);
                changed = true;
            }
        }
        if (changed)
        {
            Commit();
        }
    }

    private void Interrupt()
    {
        if (!Queue.Interrupt())
        {
            Snackbar.Add("Nothing is running.", Severity.Info);
        }
    }

    // Runs on the engine's thread: only queue the event and make sure one drain is scheduled on the circuit.
    private void OnEngineEvent(ExecutionEvent e)
    {
        if (!_myPrompts.ContainsKey(e.PromptId))
        {
            return;
        }
        _events.Enqueue(e);
        if (Interlocked.Exchange(ref _drainScheduled, 1) == 0)
        {
            _ = InvokeAsync(DrainEvents);
        }
    }

    private void DrainEvents()
    {
        Volatile.Write(ref _drainScheduled, 0);
        var nodes = _diagram.Nodes.OfType<GraphNodeModel>().ToDictionary(n => n.Id, StringComparer.Ordinal);
        var touched = new HashSet<GraphNodeModel>();
        var pageChanged = false;
        while (_events.TryDequeue(out var e))
        {
            var node = e switch
            {
                NodeStarted s => nodes.GetValueOrDefault(s.NodeId),
                NodeProgress p => nodes.GetValueOrDefault(p.NodeId),
                NodeCached c => nodes.GetValueOrDefault(c.NodeId),
                NodeCompleted c => nodes.GetValueOrDefault(c.NodeId),
                ExecutionFailed f => nodes.GetValueOrDefault(f.Error.NodeId),
                _ => null,
            };
            if (node is not null)
            {
                touched.Add(node);
            }
            pageChanged |= Apply(e, node, nodes.Values, touched);
        }
        foreach (var node in touched)
        {
            node.Refresh();
        }
        if (pageChanged)
        {
            StateHasChanged();
        }
    }

    /// <summary>Applies one event to the nodes; returns true when the page itself (preview, results) changed.</summary>
    private bool Apply(ExecutionEvent e, GraphNodeModel? node, IEnumerable<GraphNodeModel> all, HashSet<GraphNodeModel> touched)
    {
        switch (e)
        {
            case ExecutionStarted:
                foreach (var each in all)
                {
                    each.Run.Reset();
                    touched.Add(each);
                }
                _previewUrl = null;
                return true;
            case NodeStarted when node is not null:
                node.Run.Status = NodeRunStatus.Running;
                break;
            case NodeProgress p when node is not null:
                node.Run.Value = p.Value;
                node.Run.Max = p.Max;
                break;
            case NodePreview p:
                if (DateTime.UtcNow - _lastPreview >= PreviewInterval)
                {
                    _lastPreview = DateTime.UtcNow;
                    _previewUrl = $"/api/preview/{Uri.EscapeDataString(p.PromptId)}?v={++_previewSeq}";
                    return true;
                }
                break;
            case NodeCached c when node is not null:
                node.Run.Status = NodeRunStatus.Cached;
                return AddResults(c.Ui, node);
            case NodeCompleted c when node is not null:
                node.Run.Status = NodeRunStatus.Done;
                return AddResults(c.Ui, node);
            case NodeWarning w:
                Snackbar.Add($"Node {w.NodeId}: {w.Message}", Severity.Warning);
                break;
            case ExecutionFailed f:
                if (node is not null)
                {
                    node.Run.Status = NodeRunStatus.Failed;
                    node.Run.Error = f.Error.Message;
                }
                Snackbar.Add($"{node?.Title ?? f.Error.NodeType} failed: {f.Error.Message}", Severity.Error);
                _myPrompts.TryRemove(f.PromptId, out _);
                break;
            case ExecutionCancelled:
                foreach (var each in all.Where(n => n.Run.Status is NodeRunStatus.Running or NodeRunStatus.Queued))
                {
                    each.Run.Status = NodeRunStatus.Idle;
                    touched.Add(each);
                }
                Snackbar.Add("Interrupted.", Severity.Info);
                _myPrompts.TryRemove(e.PromptId, out _);
                break;
            case ExecutionCompleted c:
                foreach (var each in all.Where(n => n.Run.Status == NodeRunStatus.Queued))
                {
                    each.Run.Status = NodeRunStatus.Idle;
                    touched.Add(each);
                }
                _myPrompts.TryRemove(c.PromptId, out _);
                break;
        }
        return false;
    }

    private bool AddResults(UiOutput ui, GraphNodeModel node)
    {
        var added = false;
        foreach (var item in ui.Items.Values.SelectMany(items => items))
        {
            if (item.Filename is { } filename)
            {
                _gallery.Insert(0, new ViewFile(filename, item.Subfolder ?? "", item.Type ?? "output"));
                added = true;
            }
            else if (item.Text is { } text)
            {
                node.Run.Text = text;
            }
        }
        if (_gallery.Count > 60)
        {
            _gallery.RemoveRange(60, _gallery.Count - 60);
        }
        return added;
    }

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        _self?.Dispose();
        await Task.CompletedTask;
    }
}
