using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Orders.Functions.Settings;

namespace Orders.Functions.Tests.Support;

/// <summary>
/// Every app setting the function app needs, found where it is needed: the keys its code reads
/// (<see cref="AppSettings.Required"/> and <see cref="AppSettings.Defaulted"/>), the %...% binding expressions of its trigger attributes (read from the compiled
/// attributes and, for the Service Bus files compiled only with ServiceBusTriggers=true, from their source), the
/// trigger connections, and host.json's %...% placeholders.
/// </summary>
public static partial class SettingsCatalog
{
    /// <summary>One needed setting: its name as an app setting, and where it is needed.</summary>
    public sealed record Need(string AppSetting, string Source, bool IsConnection = false);

    public static IReadOnlyList<Need> All()
    {
        var needs = new List<Need>();
        needs.AddRange(AppSettings.Required.Select(k => new Need(AppSettings.AppSettingName(k), "AppSettings.Required")));
        needs.AddRange(AppSettings.Defaulted.Select(k => new Need(AppSettings.AppSettingName(k), "AppSettings.Defaulted")));

        foreach (var method in typeof(AppSettings).Assembly.GetTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance)))
            foreach (var trigger in method.GetParameters().SelectMany(p => p.GetCustomAttributes<TimerTriggerAttribute>()))
                needs.AddRange(Placeholders(trigger.Schedule).Select(k => new Need(AppSettings.AppSettingName(k), $"{method.DeclaringType!.Name}.{method.Name}")));

        var constants = typeof(AppSettings).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);
        foreach (var file in Repo.FunctionAppSources())
        {
            var text = File.ReadAllText(file);
            var name = Path.GetRelativePath(Repo.Root, file);
            needs.AddRange(ExpressionReference().Matches(text).Select(m => new Need(AppSettings.AppSettingName(constants[m.Groups[1].Value]), name)));
            needs.AddRange(ConnectionReference().Matches(text).Select(m => new Need(AppSettings.AppSettingName(constants[m.Groups[1].Value]), name, IsConnection: true)));
        }

        needs.AddRange(Placeholders(File.ReadAllText(Repo.HostJson)).Select(k => new Need(AppSettings.AppSettingName(k), "host.json")));
        return needs;
    }

    /// <summary>The needs that <paramref name="values"/> (local.settings Values) do not satisfy.</summary>
    public static IReadOnlyList<Need> Missing(IReadOnlyList<Need> needs, IReadOnlyDictionary<string, string> values) =>
        [.. needs.Where(n => !(values.ContainsKey(n.AppSetting)
                              || (n.IsConnection && values.ContainsKey(n.AppSetting + "__fullyQualifiedNamespace"))))];

    public static IEnumerable<string> Placeholders(string text) => Placeholder().Matches(text).Select(m => m.Groups[1].Value);

    [GeneratedRegex("%([A-Za-z0-9_:]+)%")]
    private static partial Regex Placeholder();

    [GeneratedRegex("\"%\"\\s*\\+\\s*AppSettings\\.(\\w+)\\s*\\+\\s*\"%\"")]
    private static partial Regex ExpressionReference();

    [GeneratedRegex("Connection\\s*=\\s*AppSettings\\.(\\w+)")]
    private static partial Regex ConnectionReference();
}
