using System.Security.Cryptography;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Graph.Files;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NodeDiffusion.Server.Files;

/// <summary>Where an upload was stored, as ComfyUI reports it.</summary>
public sealed record StoredUpload(string Name, string Subfolder, string Type);

/// <summary>An upload that was refused, in words for the user.</summary>
public sealed class UploadRefusedException(string message) : Exception(message);

/// <summary>
/// Stores uploaded images inside the input (or temp/output) folder: the bytes must decode as an image within the
/// size limits, the name is confined to the folder, and a different file of the same name becomes "name (1).png".
/// </summary>
public sealed class ImageUploads(EngineHost host)
{
    public const long MaxPixels = 64L * 1024 * 1024;
    public const int MaxSide = 16384;

    public StoredUpload Store(string fileName, byte[] bytes, string? type, string? subfolder, bool overwrite)
    {
        type = string.IsNullOrEmpty(type) ? "input" : type;
        var root = host.Settings.Roots.ForType(type) ?? throw new UploadRefusedException($"\"type\" must be input, output or temp, not \"{type}\".");
        var name = CleanName(fileName);
        CheckImage(bytes, name);
        subfolder = (subfolder ?? "").Replace('\\', '/').Trim('/');
        var directory = root;
        if (subfolder.Length > 0)
        {
            if (!ConfinedPath.TryResolve(root, subfolder, out directory, out var problem))
            {
                throw new UploadRefusedException($"Refused subfolder: {problem}.");
            }
        }
        Directory.CreateDirectory(directory);
        var stem = Path.GetFileNameWithoutExtension(name);
        var extension = Path.GetExtension(name);
        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            var candidate = attempt == 0 ? name : $"{stem} ({attempt}){extension}";
            var relative = subfolder.Length == 0 ? candidate : subfolder + "/" + candidate;
            if (!ConfinedPath.TryResolve(root, relative, out var path, out var problem))
            {
                throw new UploadRefusedException($"Refused file name: {problem}.");
            }
            if (File.Exists(path) && !overwrite)
            {
                if (SameContent(path, bytes))
                {
                    return new StoredUpload(candidate, subfolder, type);
                }
                continue;
            }
            try
            {
                using var stream = new FileStream(path, overwrite ? FileMode.Create : FileMode.CreateNew, FileAccess.Write);
                stream.Write(bytes);
                return new StoredUpload(candidate, subfolder, type);
            }
            catch (IOException) when (!overwrite && File.Exists(path))
            {
                // Another upload took the name between the check and the write; try the next one.
            }
        }
        throw new UploadRefusedException($"Too many files named like \"{name}\" already exist.");
    }

    private static string CleanName(string fileName)
    {
        var name = Path.GetFileName((fileName ?? "").Replace('\\', '/'));
        if (string.IsNullOrWhiteSpace(name) || name.StartsWith('.') || name.Any(char.IsControl) || name.Length > 200)
        {
            throw new UploadRefusedException($"\"{fileName}\" is not an acceptable file name.");
        }
        if (!StorageComboOptions.ImageExtensions.Contains(Path.GetExtension(name), StringComparer.OrdinalIgnoreCase))
        {
            throw new UploadRefusedException($"\"{name}\" must end in one of {string.Join(", ", StorageComboOptions.ImageExtensions)}.");
        }
        return name;
    }

    private static void CheckImage(byte[] bytes, string name)
    {
        if (bytes.Length == 0)
        {
            throw new UploadRefusedException($"\"{name}\" is empty.");
        }
        try
        {
            var info = Image.Identify(bytes) ?? throw new UploadRefusedException($"\"{name}\" does not decode as an image (PNG, JPEG, WebP, BMP or GIF).");
            if (info.Width > MaxSide || info.Height > MaxSide || (long)info.Width * info.Height > MaxPixels)
            {
                throw new UploadRefusedException($"\"{name}\" is {info.Width}×{info.Height} pixels; at most {MaxSide} per side and {MaxPixels:N0} pixels are accepted.");
            }
            using var image = Image.Load<Rgba32>(bytes);
        }
        catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or NotSupportedException or ImageFormatException)
        {
            throw new UploadRefusedException($"\"{name}\" does not decode as an image: {e.Message}");
        }
    }

    private static bool SameContent(string path, byte[] bytes)
    {
        var info = new FileInfo(path);
        if (info.Length != bytes.Length)
        {
            return false;
        }
        using var stream = File.OpenRead(path);
        return SHA256.HashData(stream).AsSpan().SequenceEqual(SHA256.HashData(bytes));
    }
}
