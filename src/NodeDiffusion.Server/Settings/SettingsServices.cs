using NodeDiffusion.Nodes.Diffusion.Previews;

namespace NodeDiffusion.Server.Settings;

/// <summary>The user's settings store and the server's default preview method (<c>--preview-method</c>, as in ComfyUI).</summary>
public static class SettingsServices
{
    public const string PreviewMethodKey = "preview-method";

    public static IServiceCollection AddUserSettings(this IServiceCollection services)
    {
        services.AddSingleton<UserSettingsStore>();
        // Found by the diffusion pack through the engine's fallback container; prompts that name no method use it.
        services.AddSingleton(sp => new PreviewOptions(ReadPreviewMethod(sp.GetRequiredService<IConfiguration>()) ?? PreviewMethod.Auto));
        return services;
    }

    /// <summary>Null when --preview-method is absent or valid, else the message to print before refusing to start.</summary>
    public static string? PreviewMethodProblem(IConfiguration configuration)
    {
        var value = Configured(configuration);
        return value is null || (PreviewMethodNames.TryParse(value, out var method) && method is not null)
            ? null
            : $"--{PreviewMethodKey} \"{value}\" is not a preview method; use auto, latent2rgb, taesd or none.";
    }

    private static PreviewMethod? ReadPreviewMethod(IConfiguration configuration) =>
        PreviewMethodNames.TryParse(Configured(configuration), out var method) ? method : null;

    private static string? Configured(IConfiguration configuration) =>
        configuration[PreviewMethodKey] ?? configuration["NodeDiffusion:" + PreviewMethodKey];
}
