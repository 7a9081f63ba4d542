using System.Text;
using System.Text.Json;
using NodeDiffusion.Graph.Validation;

namespace NodeDiffusion.Graph.Workflows;

/// <summary>Reads and writes the native workflow format. Reading never throws: every problem becomes a <see cref="ValidationError"/>.</summary>
public static class WorkflowJson
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = WorkflowLimits.MaxDepth,
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static WorkflowParseResult Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    public static WorkflowParseResult ParseFile(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return Fail(ValidationCodes.InvalidJson, $"The workflow file '{path}' does not exist.");
        }
        if (info.Length > WorkflowLimits.MaxJsonBytes)
        {
            return Fail(ValidationCodes.TooLarge, $"The workflow file is {info.Length:N0} bytes; at most {WorkflowLimits.MaxJsonBytes:N0} bytes are accepted.");
        }
        return Parse(File.ReadAllBytes(path));
    }

    public static WorkflowParseResult Parse(ReadOnlyMemory<byte> utf8)
    {
        if (utf8.Length > WorkflowLimits.MaxJsonBytes)
        {
            return Fail(ValidationCodes.TooLarge, $"The workflow is {utf8.Length:N0} bytes of JSON; at most {WorkflowLimits.MaxJsonBytes:N0} bytes are accepted.");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException e)
        {
            var position = e.LineNumber is { } line ? $" at line {line + 1}, byte {e.BytePositionInLine + 1}" : "";
            var reason = utf8.Length == 0 ? "the file is empty" : FirstSentence(e.Message);
            return Fail(ValidationCodes.InvalidJson, $"The workflow is not valid JSON{position}: {reason}.");
        }
        using (document)
        {
            return Read(document.RootElement);
        }
    }

    /// <summary>Reads a workflow from an already parsed JSON element (e.g. the body of an HTTP request).</summary>
    public static WorkflowParseResult Read(JsonElement root)
    {
        var errors = new List<ValidationError>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail(ValidationCodes.InvalidJson, $"A workflow must be a JSON object, but this is {Describe(root)}.");
        }
        if (root.TryGetProperty("format", out var format) && (format.ValueKind != JsonValueKind.String || format.GetString() != Workflow.FormatName))
        {
            return Fail(ValidationCodes.UnsupportedVersion, $"Expected \"format\": \"{Workflow.FormatName}\" but found {format.GetRawText()}. " +
                "ComfyUI files are opened through import.");
        }
        var workflow = new Workflow();
        if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var versionNumber))
        {
            return Fail(ValidationCodes.UnsupportedVersion, $"Expected a numeric \"version\" (this program reads version {Workflow.CurrentVersion}).");
        }
        if (versionNumber < 1 || versionNumber > Workflow.CurrentVersion)
        {
            return Fail(ValidationCodes.UnsupportedVersion, $"Workflow version {versionNumber} is not supported; this program reads version {Workflow.CurrentVersion}.");
        }
        workflow.Version = versionNumber;
        if (!root.TryGetProperty("nodes", out var nodes) || nodes.ValueKind != JsonValueKind.Object)
        {
            return Fail(ValidationCodes.InvalidJson, "Expected \"nodes\": an object of nodes by id.");
        }
        var nodeCount = nodes.EnumerateObject().Count();
        if (nodeCount > WorkflowLimits.MaxNodes)
        {
            return Fail(ValidationCodes.TooLarge, $"The workflow has {nodeCount:N0} nodes; at most {WorkflowLimits.MaxNodes:N0} are accepted.");
        }
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "format" or "version" or "nodes":
                    break;
                case "name" when property.Value.ValueKind == JsonValueKind.String:
                    workflow.Name = property.Value.GetString();
                    break;
                case "groups":
                    ReadGroups(property.Value, workflow, errors);
                    break;
                case "viewport":
                    workflow.Viewport = ReadViewport(property.Value, errors);
                    break;
                case "models":
                    ReadModels(property.Value, workflow, errors);
                    break;
                default:
                    workflow.Extra[property.Name] = property.Value.Clone();
                    break;
            }
        }
        foreach (var property in nodes.EnumerateObject())
        {
            if (workflow.Nodes.ContainsKey(property.Name))
            {
                errors.Add(new ValidationError(ValidationCodes.InvalidJson, $"The node id \"{property.Name}\" appears twice.", property.Name));
                continue;
            }
            if (ReadNode(property.Name, property.Value, errors) is { } node)
            {
                workflow.Nodes[property.Name] = node;
            }
        }
        return new WorkflowParseResult(errors.Count == 0 ? workflow : null, errors);
    }

    private static WorkflowNode? ReadNode(string id, JsonElement element, List<ValidationError> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ValidationError(ValidationCodes.InvalidJson, $"Expected a node object but found {Describe(element)}.", id));
            return null;
        }
        if (!element.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(type.GetString()))
        {
            errors.Add(new ValidationError(ValidationCodes.InvalidJson, "Expected \"type\": the node type id as a string.", id));
            return null;
        }
        var node = new WorkflowNode { Type = type.GetString()! };
        var ok = true;
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "type":
                    break;
                case "inputs" when property.Value.ValueKind == JsonValueKind.Object:
                    foreach (var input in property.Value.EnumerateObject())
                    {
                        node.Inputs[input.Name] = input.Value.Clone();
                    }
                    break;
                case "links" when property.Value.ValueKind == JsonValueKind.Object:
                    foreach (var link in property.Value.EnumerateObject())
                    {
                        if (TryReadLink(link.Value, out var reference))
                        {
                            node.Links[link.Name] = reference;
                        }
                        else
                        {
                            ok = false;
                            errors.Add(new ValidationError(ValidationCodes.InvalidJson,
                                $"A link must be [\"source node id\", output index], but found {Truncate(link.Value.GetRawText())}.",
                                id, node.Type, link.Name));
                        }
                    }
                    break;
                case "mode":
                    node.Mode = property.Value.GetString() switch
                    {
                        "normal" => NodeMode.Normal,
                        "muted" => NodeMode.Muted,
                        "bypassed" => NodeMode.Bypassed,
                        _ => ReportBadMode(property.Value, id, node.Type, errors, ref ok),
                    };
                    break;
                case "layout" when property.Value.ValueKind == JsonValueKind.Object:
                    node.Layout = ReadLayout(property.Value);
                    break;
                case "inputs" or "links" or "layout":
                    ok = false;
                    errors.Add(new ValidationError(ValidationCodes.InvalidJson, $"Expected \"{property.Name}\" to be an object but found {Describe(property.Value)}.", id, node.Type));
                    break;
                default:
                    node.Extra[property.Name] = property.Value.Clone();
                    break;
            }
        }
        return ok ? node : null;
    }

    private static NodeMode ReportBadMode(JsonElement value, string id, string type, List<ValidationError> errors, ref bool ok)
    {
        ok = false;
        errors.Add(new ValidationError(ValidationCodes.InvalidJson, $"\"mode\" must be \"normal\", \"muted\" or \"bypassed\", but found {Truncate(value.GetRawText())}.", id, type));
        return NodeMode.Normal;
    }

    private static bool TryReadLink(JsonElement value, out LinkRef link)
    {
        link = default;
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 2)
        {
            return false;
        }
        var source = value[0];
        var output = value[1];
        var sourceId = source.ValueKind switch
        {
            JsonValueKind.String => source.GetString(),
            JsonValueKind.Number => source.GetRawText(),
            _ => null,
        };
        if (sourceId is null || output.ValueKind != JsonValueKind.Number || !output.TryGetInt32(out var index) || index < 0)
        {
            return false;
        }
        link = new LinkRef(sourceId, index);
        return true;
    }

    private static NodeLayout ReadLayout(JsonElement element) => new(
        Position: ReadNumbers(element, "pos"),
        Size: ReadNumbers(element, "size"),
        Title: ReadString(element, "title"),
        Color: ReadString(element, "color"),
        BackgroundColor: ReadString(element, "bgcolor"),
        Collapsed: element.TryGetProperty("collapsed", out var collapsed) && collapsed.ValueKind == JsonValueKind.True);

    private static void ReadGroups(JsonElement element, Workflow workflow, List<ValidationError> errors)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new ValidationError(ValidationCodes.InvalidJson, $"Expected \"groups\" to be an array but found {Describe(element)}."));
            return;
        }
        foreach (var group in element.EnumerateArray())
        {
            var bounding = group.ValueKind == JsonValueKind.Object ? ReadNumbers(group, "bounding") : null;
            if (bounding is not { Length: 4 })
            {
                errors.Add(new ValidationError(ValidationCodes.InvalidJson, "A group needs \"title\" and \"bounding\": [x, y, width, height]."));
                continue;
            }
            workflow.Groups.Add(new WorkflowGroup(ReadString(group, "title") ?? "", bounding, ReadString(group, "color"),
                group.TryGetProperty("font_size", out var size) && size.ValueKind == JsonValueKind.Number ? size.GetDouble() : null));
        }
    }

    private static Viewport? ReadViewport(JsonElement element, List<ValidationError> errors)
    {
        if (element.ValueKind == JsonValueKind.Object
            && element.TryGetProperty("x", out var x) && x.ValueKind == JsonValueKind.Number
            && element.TryGetProperty("y", out var y) && y.ValueKind == JsonValueKind.Number
            && element.TryGetProperty("zoom", out var zoom) && zoom.ValueKind == JsonValueKind.Number)
        {
            return new Viewport(x.GetDouble(), y.GetDouble(), zoom.GetDouble());
        }
        errors.Add(new ValidationError(ValidationCodes.InvalidJson, "Expected \"viewport\": {\"x\": number, \"y\": number, \"zoom\": number}."));
        return null;
    }

    private static void ReadModels(JsonElement element, Workflow workflow, List<ValidationError> errors)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new ValidationError(ValidationCodes.InvalidJson, $"Expected \"models\" to be an array but found {Describe(element)}."));
            return;
        }
        foreach (var model in element.EnumerateArray())
        {
            var name = model.ValueKind == JsonValueKind.Object ? ReadString(model, "name") : null;
            var folder = model.ValueKind == JsonValueKind.Object ? ReadString(model, "folder") : null;
            if (name is null || folder is null)
            {
                errors.Add(new ValidationError(ValidationCodes.InvalidJson, "A model reference needs \"name\" and \"folder\"."));
                continue;
            }
            workflow.Models.Add(new ModelReference(name, folder, ReadString(model, "sha256"), ReadString(model, "url")));
        }
    }

    private static string? ReadString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double[]? ReadNumbers(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var numbers = new List<double>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number)
            {
                return null;
            }
            numbers.Add(item.GetDouble());
        }
        return numbers.ToArray();
    }

    public static string Serialize(Workflow workflow, bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, workflow);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(Utf8JsonWriter writer, Workflow workflow)
    {
        writer.WriteStartObject();
        writer.WriteString("format", Workflow.FormatName);
        writer.WriteNumber("version", workflow.Version);
        if (workflow.Name is not null)
        {
            writer.WriteString("name", workflow.Name);
        }
        writer.WriteStartObject("nodes");
        foreach (var (id, node) in workflow.Nodes)
        {
            writer.WriteStartObject(id);
            writer.WriteString("type", node.Type);
            if (node.Mode != NodeMode.Normal)
            {
                writer.WriteString("mode", node.Mode == NodeMode.Muted ? "muted" : "bypassed");
            }
            if (node.Inputs.Count > 0)
            {
                writer.WriteStartObject("inputs");
                foreach (var (name, value) in node.Inputs)
                {
                    writer.WritePropertyName(name);
                    value.WriteTo(writer);
                }
                writer.WriteEndObject();
            }
            if (node.Links.Count > 0)
            {
                writer.WriteStartObject("links");
                foreach (var (name, link) in node.Links)
                {
                    writer.WriteStartArray(name);
                    writer.WriteStringValue(link.Node);
                    writer.WriteNumberValue(link.Output);
                    writer.WriteEndArray();
                }
                writer.WriteEndObject();
            }
            if (node.Layout is { } layout)
            {
                WriteLayout(writer, layout);
            }
            WriteExtra(writer, node.Extra);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        if (workflow.Groups.Count > 0)
        {
            writer.WriteStartArray("groups");
            foreach (var group in workflow.Groups)
            {
                writer.WriteStartObject();
                writer.WriteString("title", group.Title);
                WriteNumbers(writer, "bounding", group.Bounding);
                if (group.Color is not null)
                {
                    writer.WriteString("color", group.Color);
                }
                if (group.FontSize is { } fontSize)
                {
                    writer.WriteNumber("font_size", fontSize);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        if (workflow.Viewport is { } viewport)
        {
            writer.WriteStartObject("viewport");
            writer.WriteNumber("x", viewport.X);
            writer.WriteNumber("y", viewport.Y);
            writer.WriteNumber("zoom", viewport.Zoom);
            writer.WriteEndObject();
        }
        if (workflow.Models.Count > 0)
        {
            writer.WriteStartArray("models");
            foreach (var model in workflow.Models)
            {
                writer.WriteStartObject();
                writer.WriteString("name", model.Name);
                writer.WriteString("folder", model.Folder);
                if (model.Sha256 is not null)
                {
                    writer.WriteString("sha256", model.Sha256);
                }
                if (model.Url is not null)
                {
                    writer.WriteString("url", model.Url);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        WriteExtra(writer, workflow.Extra);
        writer.WriteEndObject();
    }

    private static void WriteLayout(Utf8JsonWriter writer, NodeLayout layout)
    {
        writer.WriteStartObject("layout");
        if (layout.Position is not null)
        {
            WriteNumbers(writer, "pos", layout.Position);
        }
        if (layout.Size is not null)
        {
            WriteNumbers(writer, "size", layout.Size);
        }
        if (layout.Title is not null)
        {
            writer.WriteString("title", layout.Title);
        }
        if (layout.Color is not null)
        {
            writer.WriteString("color", layout.Color);
        }
        if (layout.BackgroundColor is not null)
        {
            writer.WriteString("bgcolor", layout.BackgroundColor);
        }
        if (layout.Collapsed)
        {
            writer.WriteBoolean("collapsed", true);
        }
        writer.WriteEndObject();
    }

    private static void WriteNumbers(Utf8JsonWriter writer, string name, double[] numbers)
    {
        writer.WriteStartArray(name);
        foreach (var number in numbers)
        {
            writer.WriteNumberValue(number);
        }
        writer.WriteEndArray();
    }

    private static void WriteExtra(Utf8JsonWriter writer, OrderedDictionary<string, JsonElement> extra)
    {
        foreach (var (name, value) in extra)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
    }

    private static WorkflowParseResult Fail(string code, string message) => new(null, [new ValidationError(code, message)]);

    internal static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string {Truncate(element.GetRawText())}",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {element.GetRawText()}",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    internal static string Truncate(string text, int max = 80) => text.Length <= max ? text : text[..max] + "…";

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return (end > 0 ? message[..end] : message).TrimEnd('.');
    }
}
