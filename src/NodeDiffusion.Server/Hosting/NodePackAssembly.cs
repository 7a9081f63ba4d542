using System.Reflection;

namespace NodeDiffusion.Server.Hosting;

/// <summary>An extra node pack to register beside those found next to the application (used by tests and embedders).</summary>
public sealed record NodePackAssembly(Assembly Assembly);
