namespace NodeDiffusion.Interop.Import;

/// <summary>A node type the workflow uses that no schema source knows: the ComfyUI class, the type id it maps to, and the nodes that use it.</summary>
public sealed record MissingNodeType(string ComfyClass, string TypeId, IReadOnlyList<string> NodeIds);
