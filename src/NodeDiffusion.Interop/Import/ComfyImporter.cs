using System.Text;
using System.Text.Json;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop.Json;

namespace NodeDiffusion.Interop.Import;

/// <summary>
/// Opens ComfyUI documents as native workflows. It never refuses a readable document: node types we lack become
/// placeholders, and everything that did not map is listed in the result. Only text that is not a workflow at all throws.
/// </summary>
public sealed class ComfyImporter(ComfyImportOptions options)
{
    public ComfyImportOptions Options => options;

    /// <summary>Reads a file of at most 32 MiB: a ComfyUI API prompt, a UI workflow, or our own format.</summary>
    public ComfyImportResult ImportFile(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new InteropFormatException($"The file '{path}' does not exist.");
        }
        if (info.Length > WorkflowLimits.MaxJsonBytes)
        {
            throw new InteropFormatException($"The file is {info.Length:N0} bytes; at most {WorkflowLimits.MaxJsonBytes:N0} bytes of JSON are accepted.");
        }
        return Import(File.ReadAllBytes(path));
    }

    public ComfyImportResult Import(string json) => Import(Encoding.UTF8.GetBytes(json));

    public ComfyImportResult Import(ReadOnlyMemory<byte> utf8)
    {
        using var document = LenientJson.Parse(utf8);
        return Import(document.RootElement);
    }

    /// <summary>Detects the format: native (<c>"format"</c>), UI (<c>"nodes"</c> array), a <c>{"prompt": …}</c> request body, or an API prompt.</summary>
    public ComfyImportResult Import(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InteropFormatException("A workflow must be a JSON object.");
        }
        if (root.TryGetProperty("format", out _))
        {
            return ImportNative(root);
        }
        if (root.TryGetProperty("nodes", out var nodes) && nodes.ValueKind == JsonValueKind.Array)
        {
            return ImportUi(root);
        }
        if (root.TryGetProperty("workflow", out var workflow) && workflow.ValueKind == JsonValueKind.Object
            && workflow.TryGetProperty("nodes", out var inner) && inner.ValueKind == JsonValueKind.Array)
        {
            return ImportUi(workflow);
        }
        if (root.TryGetProperty("prompt", out var prompt) && prompt.ValueKind == JsonValueKind.Object && LooksLikeApiPrompt(prompt))
        {
            return ImportApi(prompt);
        }
        if (LooksLikeApiPrompt(root))
        {
            return ImportApi(root);
        }
        throw new InteropFormatException("This JSON is neither a ComfyUI workflow (no \"nodes\" list), nor an API prompt (no node with \"class_type\"), nor a NodeDiffusion workflow.");
    }

    public ComfyImportResult ImportApi(JsonElement prompt)
    {
        var issues = new List<InteropIssue>();
        var nodes = ApiPromptReader.Read(prompt, issues);
        var workflow = new Workflow();
        var missing = AddNodes(workflow, nodes, issues);
        return new ComfyImportResult(workflow, ComfyFormat.ApiPrompt, issues) { MissingTypes = missing };
    }

    public ComfyImportResult ImportUi(JsonElement root)
    {
        var issues = new List<InteropIssue>();
        var keepReroutes = options.KeepReroutes && options.Schemas.Find(UiWorkflowReader.RerouteType) is not null;
        var read = UiWorkflowReader.Read(root, issues, options.MaxLinkHops, keepReroutes);
        var workflow = new Workflow();
        var missing = AddNodes(workflow, read.Nodes, issues);
        UiDocumentReader.ReadDocument(root, workflow, read.Notes);
        return new ComfyImportResult(workflow, ComfyFormat.UiWorkflow, issues) { MissingTypes = missing };
    }

    private static ComfyImportResult ImportNative(JsonElement root)
    {
        var parsed = WorkflowJson.Read(root);
        if (parsed.Workflow is null)
        {
            throw new InteropFormatException(string.Join(" ", parsed.Errors.Select(e => e.Message)));
        }
        return new ComfyImportResult(parsed.Workflow, ComfyFormat.Native, []);
    }

    private IReadOnlyList<MissingNodeType> AddNodes(Workflow workflow, List<ComfyNode> nodes, List<InteropIssue> issues)
    {
        var mapper = new NodeMapper(options, issues);
        var mapped = new Dictionary<string, NodeMapper.Mapped>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            var result = mapper.Map(node);
            mapped[node.Id] = result;
            workflow.Nodes[node.Id] = result.Node;
        }
        foreach (var (id, (node, _)) in mapped)
        {
            foreach (var (input, link) in node.Links.ToList())
            {
                var problem = !mapped.TryGetValue(link.Node, out var source) ? $"its source node {link.Node} is not in the workflow"
                    : source.Schema is { } schema && link.Output >= schema.Outputs.Count ? $"{source.Node.Type} has no output {link.Output}"
                    : null;
                if (problem is not null)
                {
                    node.Links.Remove(input);
                    issues.Add(new InteropIssue(InteropSeverity.Warning, InteropCodes.LinkDropped,
                        $"The link into this input was dropped: {problem}.", id, ClassOf(node), input));
                }
            }
        }
        if (options.Schemas.Find(options.ClassMap.ToTypeId(LegacyControlNetRewiring.LegacyClass)) is { } apply && LegacyControlNetRewiring.Fits(apply))
        {
            LegacyControlNetRewiring.Apply(workflow, nodes.ToDictionary(n => n.Id, n => n.ClassType), apply.TypeId, issues);
        }
        var missing = nodes.Where(n => mapped[n.Id].Schema is null)
            .GroupBy(n => (n.ClassType, mapped[n.Id].Node.Type))
            .Select(g => new MissingNodeType(g.Key.ClassType, g.Key.Type, [.. g.Select(n => n.Id)]))
            .ToList();
        foreach (var type in missing)
        {
            var ids = string.Join(", ", type.NodeIds);
            var name = type.ComfyClass == type.TypeId ? type.TypeId : $"{type.TypeId} (ComfyUI class {type.ComfyClass})";
            issues.Insert(0, new InteropIssue(InteropSeverity.Warning, InteropCodes.MissingNodeType,
                $"The node type {name} is not installed; node{(type.NodeIds.Count == 1 ? "" : "s")} {ids} kept as placeholder{(type.NodeIds.Count == 1 ? "" : "s")}.",
                ComfyClass: type.ComfyClass));
        }
        return missing;
    }

    private static string ClassOf(WorkflowNode node) =>
        node.Extra.TryGetValue(InteropKeys.ClassType, out var type) && type.ValueKind == JsonValueKind.String ? type.GetString()! : node.Type;

    private static bool LooksLikeApiPrompt(JsonElement element) =>
        element.EnumerateObject().Any(p => p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("class_type", out _));
}
