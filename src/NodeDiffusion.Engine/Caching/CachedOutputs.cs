using NodeDiffusion.Engine.Events;

namespace NodeDiffusion.Engine.Caching;

/// <summary>The cached result of a node: its outputs in order, its UI output, and what it costs to keep.</summary>
public sealed record CachedOutputs(object?[] Values, UiOutput Ui, long ByteSize);
