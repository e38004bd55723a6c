using System.Reflection;

namespace Orders.Domain.Tests.Architecture;

/// <summary>
/// Which of an assembly's references are not part of the .NET shared framework (Microsoft.NETCore.App): a reference
/// counts as the base class library only if an assembly of that name, the same public key token and at least that
/// version sits in the directory the runtime loaded <see cref="object"/> from.
/// </summary>
public static class FrameworkReferences
{
    public static string SharedFrameworkDirectory { get; } =
        Path.GetDirectoryName(typeof(object).Assembly.Location) ?? throw new InvalidOperationException("No shared framework directory.");

    public static IReadOnlyList<string> NotInTheSharedFramework(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return assembly.GetReferencedAssemblies()
            .Where(reference => !IsInTheSharedFramework(reference))
            .Select(reference => reference.FullName)
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    public static bool IsInTheSharedFramework(AssemblyName reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var path = Path.Combine(SharedFrameworkDirectory, reference.Name + ".dll");
        if (!File.Exists(path)) return false;
        var framework = AssemblyName.GetAssemblyName(path);
        return (reference.GetPublicKeyToken() ?? []).AsSpan().SequenceEqual(framework.GetPublicKeyToken() ?? [])
            && (reference.Version is null || (framework.Version is not null && reference.Version <= framework.Version));
    }
}
