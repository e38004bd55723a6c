using System.Reflection;

namespace Orders.FunctionHost.Tests.Support;

/// <summary>How to start a Functions host here: Core Tools' <c>func</c>, or a folder with <c>func-start</c>.</summary>
public sealed record FunctionHostCommand(string Kind, string Path)
{
    public const string Func = "func";
    public const string FuncStart = "func-start";
}

/// <summary>
/// Finds a Functions host (<c>func</c> on PATH first, then <c>ORDERS_FUNCTIONS_HOST</c>, a folder holding
/// <c>func-start</c>), the storage emulator (<c>ORDERS_AZURITE</c>, which test.sh exports) and the function app's build
/// output. <see cref="SkipReason"/> says what is missing; the tests are then skipped, never passed.
/// </summary>
public static class FunctionHostLocator
{
    public const string HostVariable = "ORDERS_FUNCTIONS_HOST";
    public const string AzuriteVariable = "ORDERS_AZURITE";

    private static readonly Lazy<FunctionHostCommand?> Found = new(Find);

    public static FunctionHostCommand? Host => Found.Value;

    public static string? Azurite => Environment.GetEnvironmentVariable(AzuriteVariable) is { Length: > 0 } value ? value : null;

    /// <summary>Null when everything needed is here.</summary>
    public static string? SkipReason =>
        Host is null
            ? $"No Azure Functions host: neither 'func' (Core Tools) on PATH nor {HostVariable} naming a folder with func-start " +
              $"({HostVariable}={Environment.GetEnvironmentVariable(HostVariable) ?? "(unset)"}). .ci/run sets it to ../shared/functions-host."
            : Azurite is null
                ? $"No storage emulator: {AzuriteVariable} is not set (./test.sh starts Azurite and sets it)."
                : null;

    private static FunctionHostCommand? Find()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var func = System.IO.Path.Combine(folder, OperatingSystem.IsWindows() ? "func.exe" : "func");
            if (File.Exists(func)) return new FunctionHostCommand(FunctionHostCommand.Func, func);
        }
        var named = Environment.GetEnvironmentVariable(HostVariable);
        if (!string.IsNullOrWhiteSpace(named))
        {
            var script = System.IO.Path.Combine(System.IO.Path.GetFullPath(named), "func-start");
            if (File.Exists(script)) return new FunctionHostCommand(FunctionHostCommand.FuncStart, script);
        }
        return null;
    }

    /// <summary>The function app's build output folder (it holds functions.metadata), from the path embedded at build time.</summary>
    public static string FunctionAppDirectory()
    {
        var dll = typeof(FunctionHostLocator).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "OrdersFunctionAppDll")?.Value;
        var folder = dll is null ? null : System.IO.Path.GetDirectoryName(dll);
        if (folder is null || !File.Exists(System.IO.Path.Combine(folder, "functions.metadata")))
            throw new FileNotFoundException($"The function app's build output (with functions.metadata) was not found at '{folder}': build functions/Orders.Functions.");
        return folder;
    }
}

/// <summary>A test that needs a Functions host and Azurite: skipped, saying why, when either is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FunctionHostFactAttribute : FactAttribute
{
    public FunctionHostFactAttribute()
    {
        if (FunctionHostLocator.SkipReason is { } reason) Skip = reason;
    }
}
