using Microsoft.AspNetCore.Http;

namespace Orders.Api;

/// <summary>
/// The operations page: three static files (src/Orders.Api/ops/), copied beside each host's binaries. The page reads
/// and writes only the public API (/api/...). The local host serves the folder with Kestrel's static-file middleware
/// at <see cref="LocalPath"/>; the function app, whose routes all live under its route prefix, serves the same files
/// through one HTTP function at <see cref="FunctionRoute"/> with <see cref="ServeAsync"/>.
/// </summary>
public static class OpsPage
{
    public const string LocalPath = "/ops";
    public const string FunctionRoute = "ops/{*file}";
    public const string FunctionName = "OpsPage";

    /// <summary>The files, and their content types: nothing else is ever served (no path from the request reaches the disk).</summary>
    public static IReadOnlyDictionary<string, string> Files { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["ops.js"] = "text/javascript; charset=utf-8",
        ["ops.css"] = "text/css; charset=utf-8",
    };

    /// <summary>Where the files are (beside the host's binaries).</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "ops");

    /// <summary>Answers one file of the page (the function app): <c>index.html</c> for an empty name, 404 for any other name.</summary>
    public static async Task ServeAsync(HttpContext http, string? file)
    {
        ArgumentNullException.ThrowIfNull(http);
        var name = string.IsNullOrEmpty(file) ? "index.html" : file;
        if (!Files.TryGetValue(name, out var contentType) || !File.Exists(Path.Combine(Directory, name)))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        // Relative links (ops.css, ops.js) resolve only under a trailing slash.
        if (string.IsNullOrEmpty(file) && !http.Request.Path.Value!.EndsWith('/'))
        {
            http.Response.StatusCode = StatusCodes.Status302Found;
            http.Response.Headers.Location = http.Request.PathBase + http.Request.Path + "/";
            return;
        }
        var bytes = await File.ReadAllBytesAsync(Path.Combine(Directory, name), http.RequestAborted);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = contentType;
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }
}
