using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Registry;
using NodeDiffusion.Graph.Schema;
using NodeDiffusion.Graph.Workflows;

namespace NodeDiffusion.Graph.Validation;

/// <summary>
/// Checks a workflow against the node registry and reports every problem at once, before anything runs.
/// Only the nodes that the outputs need are checked in depth, as ComfyUI does, so a stray broken node elsewhere does not block a run.
/// </summary>
public sealed class WorkflowValidator(NodeRegistry registry, IComboOptionsProvider? comboOptions = null)
{
    public ValidationResult Validate(Workflow workflow, IReadOnlyCollection<string>? targetOutputs = null)
    {
        var errors = new List<ValidationError>();
        if (workflow.Nodes.Count > WorkflowLimits.MaxNodes)
        {
            return new ValidationResult(null, [new ValidationError(ValidationCodes.TooLarge,
                $"The workflow has {workflow.Nodes.Count:N0} nodes; at most {WorkflowLimits.MaxNodes:N0} are accepted.")]);
        }

        var definitions = new Dictionary<string, NodeDefinition>(StringComparer.Ordinal);
        foreach (var (id, node) in workflow.Nodes)
        {
            if (registry.Find(node.Type) is { } definition)
            {
                definitions[id] = definition;
            }
            else
            {
                errors.Add(new ValidationError(ValidationCodes.UnknownNodeType,
                    $"There is no node type \"{node.Type}\".{ClosestNames.Hint(node.Type, registry.Definitions.Select(d => d.Schema.TypeId))}",
                    id, node.Type));
            }
        }

        var resolution = ModeResolver.Resolve(workflow, definitions);
        var links = resolution.Links;
        var active = workflow.Nodes.Where(n => n.Value.Mode == NodeMode.Normal && definitions.ContainsKey(n.Key)).Select(n => n.Key).ToList();

        var outputs = active.Where(id => definitions[id].Schema.IsOutput).ToList();
        if (targetOutputs is { Count: > 0 })
        {
            foreach (var target in targetOutputs.Where(t => !outputs.Contains(t)))
            {
                errors.Add(new ValidationError(ValidationCodes.NoOutputs, $"Node \"{target}\" was asked to run but is not an active output node.", target));
            }
            outputs = outputs.Where(targetOutputs.Contains).ToList();
        }
        if (outputs.Count == 0 && !errors.Any(e => e.Code == ValidationCodes.NoOutputs))
        {
            errors.Add(new ValidationError(ValidationCodes.NoOutputs,
                "The workflow has no output node (such as SaveImage or PreviewImage), so nothing would run."));
        }

        var needed = Ancestors(outputs, links, workflow);
        foreach (var cycle in CycleFinder.Find(needed, links))
        {
            var path = string.Join(" → ", cycle.Append(cycle[0]));
            foreach (var id in cycle)
            {
                errors.Add(new ValidationError(ValidationCodes.Cycle, $"The node is part of a cycle: {path}. Links must not loop back.", id, workflow.Nodes[id].Type));
            }
        }

        var resolved = new Dictionary<string, ResolvedNode>(StringComparer.Ordinal);
        foreach (var id in needed.Where(definitions.ContainsKey))
        {
            if (CheckNode(id, workflow, definitions, links[id], resolution.Breaks.GetValueOrDefault(id), errors) is { } node)
            {
                resolved[id] = node;
            }
        }
        return errors.Count == 0
            ? new ValidationResult(new ResolvedWorkflow(resolved, outputs), errors)
            : new ValidationResult(null, errors);
    }

    private ResolvedNode? CheckNode(
        string id,
        Workflow workflow,
        Dictionary<string, NodeDefinition> definitions,
        IReadOnlyDictionary<string, ResolvedLink> nodeLinks,
        IReadOnlyDictionary<string, LinkBreak>? nodeBreaks,
        List<ValidationError> errors)
    {
        var node = workflow.Nodes[id];
        var schema = definitions[id].Schema;
        var before = errors.Count;
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var resolvedLinks = new Dictionary<string, LinkRef>(StringComparer.Ordinal);

        foreach (var name in node.Inputs.Keys.Concat(node.Links.Keys).Distinct().Where(n => schema.FindInput(n) is null))
        {
            errors.Add(new ValidationError(ValidationCodes.UnknownInput,
                $"{schema.TypeId} has no input \"{name}\".{ClosestNames.Hint(name, schema.Inputs.Select(i => i.Name))}", id, node.Type, name));
        }

        foreach (var input in schema.Inputs)
        {
            var broken = nodeBreaks?.GetValueOrDefault(input.Name);
            if (broken?.Code == ValidationCodes.Cycle)
            {
                errors.Add(new ValidationError(ValidationCodes.Cycle,
                    $"Input \"{input.Name}\" can get no value: {broken.Reason}. Links must not loop back.", id, node.Type, input.Name));
                continue;
            }
            if (nodeLinks.TryGetValue(input.Name, out var link))
            {
                CheckLink(id, node.Type, input, link, workflow, definitions, errors, resolvedLinks);
                continue;
            }
            if (input.IsWidget && !node.Links.ContainsKey(input.Name) && ConvertedWidgets.Contains(node, input.Name))
            {
                // ComfyUI leaves a converted, unlinked widget out of the prompt: its value is not used.
                if (!input.Optional)
                {
                    errors.Add(new ValidationError(ValidationCodes.MissingRequiredInput,
                        $"Required input is missing: \"{input.Name}\" was converted to an input, so it needs a link ({input.Type}); or convert it back to a widget.",
                        id, node.Type, input.Name));
                }
                continue;
            }
            if (node.Inputs.TryGetValue(input.Name, out var literal) && input.IsWidget)
            {
                if (!WidgetValues.TryRead(input, literal, out var value, out var problem, out var code))
                {
                    errors.Add(new ValidationError(code!, Capitalize(problem!) + ".", id, node.Type, input.Name));
                    continue;
                }
                if (input.Type == PortTypes.Combo && !CheckCombo(id, node.Type, input, (string)value!, errors))
                {
                    continue;
                }
                values[input.Name] = value;
                continue;
            }
            if (node.Links.TryGetValue(input.Name, out var removed))
            {
                // The link pointed at a muted node, through a bypassed node with nothing to pass on, or at a reroute with no input.
                if (!input.Optional)
                {
                    var why = broken?.Reason ?? $"node {removed.Node} is muted or bypassed without a matching input to pass through";
                    errors.Add(new ValidationError(ValidationCodes.MissingRequiredInput,
                        $"Required input \"{input.Name}\" ({input.Type}) is missing: it is linked to node {removed.Node}, but {why}.",
                        id, node.Type, input.Name));
                }
                continue;
            }
            if (input.IsWidget && input.Default is not null)
            {
                if (input.Type == PortTypes.Combo && !CheckCombo(id, node.Type, input, (string)input.Default, errors))
                {
                    continue;
                }
                values[input.Name] = WidgetValues.Default(input);
                continue;
            }
            if (!input.Optional)
            {
                var what = input.IsWidget ? "a value" : $"a link from a {input.Type} output";
                errors.Add(new ValidationError(ValidationCodes.MissingRequiredInput,
                    $"Required input \"{input.Name}\" needs {what}, but has none.", id, node.Type, input.Name));
            }
        }
        return errors.Count == before ? new ResolvedNode(id, definitions[id], values, resolvedLinks) : null;
    }

    private static void CheckLink(
        string id,
        string type,
        InputSpec input,
        ResolvedLink link,
        Workflow workflow,
        Dictionary<string, NodeDefinition> definitions,
        List<ValidationError> errors,
        Dictionary<string, LinkRef> resolvedLinks)
    {
        if (!workflow.Nodes.TryGetValue(link.Target.Node, out var source))
        {
            errors.Add(new ValidationError(ValidationCodes.DanglingLink,
                $"Input \"{input.Name}\" is linked{link.Through} to node {link.Target.Node}, which does not exist.", id, type, input.Name));
            return;
        }
        if (!definitions.TryGetValue(link.Target.Node, out var sourceDefinition))
        {
            return; // Its unknown type is already reported.
        }
        var outputs = sourceDefinition.Schema.Outputs;
        if (link.Target.Output >= outputs.Count)
        {
            errors.Add(new ValidationError(ValidationCodes.DanglingLink,
                $"Input \"{input.Name}\" is linked{link.Through} to output {link.Target.Output} of node {link.Target.Node} ({source.Type}), which has only {outputs.Count} output(s).",
                id, type, input.Name));
            return;
        }
        var outputType = outputs[link.Target.Output].Type;
        if (!PortTypes.AreCompatible(outputType, input.Type))
        {
            errors.Add(new ValidationError(ValidationCodes.TypeMismatch,
                $"Input \"{input.Name}\" expects {input.Type} but is linked{link.Through} to output {link.Target.Output} \"{outputs[link.Target.Output].Name}\" of node {link.Target.Node} ({source.Type}), which gives {outputType}.",
                id, type, input.Name));
            return;
        }
        resolvedLinks[input.Name] = link.Target;
    }

    private bool CheckCombo(string id, string type, InputSpec input, string value, List<ValidationError> errors)
    {
        var options = ComboOptions.Resolve(input, comboOptions);
        if (options.Contains(value, StringComparer.Ordinal))
        {
            return true;
        }
        var where = input.OptionsSource is null ? "" : $" in {input.OptionsSource}";
        var message = options.Count == 0
            ? $"\"{value}\" is not available{where}: there are no options{(input.OptionsSource is null ? "" : $" (the folder is empty)")}."
            : $"\"{value}\" is not one of the {options.Count} options{where}.{ClosestNames.Hint(value, options)}";
        errors.Add(new ValidationError(ValidationCodes.ValueNotInList, message, id, type, input.Name));
        return false;
    }

    private static List<string> Ancestors(List<string> outputs, Dictionary<string, Dictionary<string, ResolvedLink>> links, Workflow workflow)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<string>();
        var stack = new Stack<string>(outputs.AsEnumerable().Reverse());
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if (!links.ContainsKey(id) || !seen.Add(id))
            {
                continue;
            }
            order.Add(id);
            foreach (var link in links[id].Values)
            {
                if (workflow.Nodes.ContainsKey(link.Target.Node))
                {
                    stack.Push(link.Target.Node);
                }
            }
        }
        return order;
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
