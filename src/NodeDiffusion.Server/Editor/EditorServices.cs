namespace NodeDiffusion.Server.Editor;

/// <summary>Services of the Blazor editor.</summary>
public static class EditorServices
{
    public static IServiceCollection AddEditorServices(this IServiceCollection services)
    {
        services.AddSingleton<DefaultWorkflows>();
        return services;
    }
}
