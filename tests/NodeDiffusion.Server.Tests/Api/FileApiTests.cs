using System.Net;
using System.Net.Http.Headers;
using NodeDiffusion.Server.Tests.Infrastructure;

namespace NodeDiffusion.Server.Tests.Api;

public sealed class FileApiTests : IAsyncLifetime
{
    private readonly ServerHost _server = new(maxUploadBytes: 64 * 1024);

    public ValueTask InitializeAsync()
    {
        File.WriteAllText(_server.PathOf("secret.txt"), "outside the roots");
        File.WriteAllBytes(_server.PathOf("output", "ok.png"), TestImages.Png());
        Directory.CreateDirectory(_server.PathOf("output", "sub"));
        File.WriteAllBytes(_server.PathOf("output", "sub", "deep.png"), TestImages.Png(red: 1));
        File.WriteAllText(_server.PathOf("output", "page.html"), "<script>alert(1)</script>");
        File.WriteAllBytes(_server.PathOf("input", "in.png"), TestImages.Png(red: 2));
        File.CreateSymbolicLink(_server.PathOf("output", "link.txt"), _server.PathOf("secret.txt"));
        Directory.CreateSymbolicLink(_server.PathOf("output", "linkdir"), _server.Directory.Path);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Theory]
    [InlineData("filename=ok.png", "image/png")]
    [InlineData("filename=ok.png&type=output&subfolder=", "image/png")]
    [InlineData("filename=deep.png&subfolder=sub", "image/png")]
    [InlineData("filename=in.png&type=input", "image/png")]
    [InlineData("filename=in.png%20%5Binput%5D", "image/png")]
    [InlineData("filename=page.html", "application/octet-stream")]
    public async Task View_serves_files_inside_the_roots(string query, string contentType)
    {
        using var response = await _server.Client.GetAsync("/view?" + query, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task View_with_download_sends_the_file_as_an_attachment_under_its_own_name()
    {
        using var shown = await _server.Client.GetAsync("/view?filename=deep.png&subfolder=sub", TestContext.Current.CancellationToken);
        Assert.Null(shown.Content.Headers.ContentDisposition);

        using var response = await _server.Client.GetAsync("/view?filename=deep.png&subfolder=sub&download=1", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("deep.png", response.Content.Headers.ContentDisposition.FileName!.Trim('"'));
        Assert.Equal(await File.ReadAllBytesAsync(_server.PathOf("output", "sub", "deep.png"), TestContext.Current.CancellationToken),
            await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("filename=../secret.txt")]
    [InlineData("filename=secret.txt&subfolder=..")]
    [InlineData("filename=secret.txt&subfolder=sub/../..")]
    [InlineData("filename=%2Fetc%2Fpasswd")]
    [InlineData("filename=passwd&subfolder=%2Fetc")]
    [InlineData("filename=..%5Csecret.txt")]
    [InlineData("filename=link.txt")]
    [InlineData("filename=secret.txt&subfolder=linkdir")]
    public async Task View_refuses_paths_that_leave_the_root(string query)
    {
        var (status, body) = await _server.Client.GetJsonAsync("/view?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_path", body!["error"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("", HttpStatusCode.BadRequest)]
    [InlineData("filename=ok.png&type=models", HttpStatusCode.BadRequest)]
    [InlineData("filename=missing.png", HttpStatusCode.NotFound)]
    public async Task View_explains_bad_requests(string query, HttpStatusCode expected)
    {
        var (status, body) = await _server.Client.GetJsonAsync("/api/view?" + query);
        Assert.Equal(expected, status);
        Assert.False(string.IsNullOrEmpty(body!["error"]!["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Upload_stores_an_image_and_renames_a_different_file_of_the_same_name()
    {
        var first = await UploadAsync(TestImages.Png(red: 10), "photo.png");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("photo.png", first.Body!["name"]!.GetValue<string>());
        Assert.Equal("input", first.Body["type"]!.GetValue<string>());
        Assert.True(File.Exists(_server.PathOf("input", "photo.png")));

        var same = await UploadAsync(TestImages.Png(red: 10), "photo.png");
        Assert.Equal("photo.png", same.Body!["name"]!.GetValue<string>());
        var different = await UploadAsync(TestImages.Png(red: 11), "photo.png");
        Assert.Equal("photo (1).png", different.Body!["name"]!.GetValue<string>());
        var overwritten = await UploadAsync(TestImages.Png(red: 12), "photo.png", ("overwrite", "true"));
        Assert.Equal("photo.png", overwritten.Body!["name"]!.GetValue<string>());

        var nested = await UploadAsync(TestImages.Png(), "x.png", ("subfolder", "masks"), ("type", "temp"));
        Assert.Equal(HttpStatusCode.OK, nested.Status);
        Assert.True(File.Exists(_server.PathOf("temp", "masks", "x.png")));
    }

    [Fact]
    public async Task Upload_keeps_a_path_in_the_file_name_inside_the_folder()
    {
        var result = await UploadAsync(TestImages.Png(), "../../evil.png");
        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal("evil.png", result.Body!["name"]!.GetValue<string>());
        Assert.True(File.Exists(_server.PathOf("input", "evil.png")));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_server.Directory.Path)!, "evil.png")));
    }

    [Theory]
    [InlineData("notes.png", "not an image", null, "decode")]
    [InlineData("image.exe", null, null, "must end in")]
    [InlineData("image.png", null, "../escape", "subfolder")]
    [InlineData(".hidden.png", null, null, "file name")]
    public async Task Upload_refuses_bad_files(string name, string? text, string? subfolder, string expected)
    {
        var bytes = text is null ? TestImages.Png() : System.Text.Encoding.UTF8.GetBytes(text);
        var result = subfolder is null ? await UploadAsync(bytes, name) : await UploadAsync(bytes, name, ("subfolder", subfolder));
        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Contains(expected, result.Body!["error"]!["message"]!.GetValue<string>());
        Assert.Equal([_server.PathOf("input", "in.png")], Directory.GetFiles(_server.PathOf("input"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Upload_refuses_files_over_the_limit()
    {
        var big = TestImages.Png(300, 300).Concat(new byte[100 * 1024]).ToArray();
        var result = await UploadAsync(big, "big.png");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, result.Status);
        Assert.Equal("too_large", result.Body!["error"]!["type"]!.GetValue<string>());
        Assert.False(File.Exists(_server.PathOf("input", "big.png")));
    }

    [Fact]
    public async Task Upload_needs_a_multipart_image_field()
    {
        var (status, body) = await _server.Client.PostRawAsync("/upload/image", "{}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("multipart", body!["error"]!["message"]!.GetValue<string>());

        using var form = new MultipartFormDataContent { { new StringContent("input"), "type" } };
        var (missingStatus, missing) = await Http.ReadAsync(await _server.Client.PostAsync("/api/upload/image", form, TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.BadRequest, missingStatus);
        Assert.Contains("\"image\"", missing!["error"]!["message"]!.GetValue<string>());
    }

    private async Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Body)> UploadAsync(byte[] bytes, string name, params (string Key, string Value)[] fields)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "image", name);
        foreach (var (key, value) in fields)
        {
            form.Add(new StringContent(value), key);
        }
        return await Http.ReadAsync(await _server.Client.PostAsync("/upload/image", form, TestContext.Current.CancellationToken));
    }
}
