using Orders.Orchestrations;

namespace Orders.Functions.Tests;

/// <summary>The saga assembly's orchestrator and activity classes, found through their whole base chain (the record-and-notify steps derive from <c>RecordingStep</c>).</summary>
internal static class TaskTypes
{
    /// <summary>The concrete classes whose base chain closes <paramref name="openBase"/> (<c>TaskActivity&lt;,&gt;</c>, <c>TaskOrchestrator&lt;,&gt;</c>).</summary>
    public static IEnumerable<Type> Deriving(Type openBase) =>
        typeof(SagaRegistration).Assembly.GetTypes().Where(t => !t.IsAbstract && Closed(t, openBase) is not null);

    /// <summary>The closed <paramref name="openBase"/> in <paramref name="type"/>'s base chain (its type arguments are the task's input and output), or null.</summary>
    public static Type? Closed(Type type, Type openBase)
    {
        for (var b = type.BaseType; b is not null; b = b.BaseType)
            if (b.IsGenericType && b.GetGenericTypeDefinition() == openBase) return b;
        return null;
    }
}
