namespace NodeDiffusion.Server.Settings;

/// <summary>Why a settings change was refused: an HTTP status, an error type and a message naming the setting.</summary>
public sealed record SettingsRejection(int Status, string Type, string Message)
{
    public static SettingsRejection Invalid(string message) => new(StatusCodes.Status400BadRequest, "invalid_setting", message);

    public static SettingsRejection TooLarge(string message) => new(StatusCodes.Status413PayloadTooLarge, "too_large", message);
}
