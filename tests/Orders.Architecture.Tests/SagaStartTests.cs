using System.Reflection;
using System.Reflection.Emit;
using Orders.Application.Ports.Outbound;

namespace Orders.Architecture.Tests;

/// <summary>
/// What follows a fact is decided in one place, the reaction table (Orders.Application.Reactions, decision 0026): the
/// HTTP adapter records facts and never starts a saga. Checked on the compiled IL of every method (lambdas and async
/// state machines included) and on every field, property and constructor parameter of Orders.Api: nothing there
/// touches <see cref="ISagaScheduler"/>, the saga-start port.
/// </summary>
public sealed class SagaStartTests
{
    [Fact]
    public void TheHttpAdapter_NeverReachesTheSagaStartPort()
    {
        var uses = UsesOf(Assembly.Load(new AssemblyName("Orders.Api")), typeof(ISagaScheduler));

        Assert.True(uses.Count == 0, "Orders.Api uses ISagaScheduler: " + string.Join("; ", uses));
    }

    [Fact]
    public void TheCheck_FindsTheStartsThatDoExist()
    {
        // The reaction table and the repair job start sagas through the port: the same check has to see both.
        var uses = UsesOf(Assembly.Load(new AssemblyName("Orders.Application")), typeof(ISagaScheduler));

        Assert.Contains(uses, u => u.Contains("OrderReactions", StringComparison.Ordinal) && u.Contains("StartCheckoutAsync", StringComparison.Ordinal));
        Assert.Contains(uses, u => u.Contains("ReconcileOrders", StringComparison.Ordinal));
    }

    private static List<string> UsesOf(Assembly assembly, Type port)
    {
        var uses = new List<string>();
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in assembly.GetTypes())
        {
            uses.AddRange(type.GetFields(all).Where(f => Mentions(f.FieldType, port)).Select(f => $"{type.FullName}.{f.Name} (field)"));
            uses.AddRange(type.GetProperties(all).Where(p => Mentions(p.PropertyType, port)).Select(p => $"{type.FullName}.{p.Name} (property)"));
            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                uses.AddRange(method.GetParameters().Where(p => Mentions(p.ParameterType, port)).Select(p => $"{type.FullName}.{method.Name}({p.Name})"));
                foreach (var member in CalledMembers(method))
                {
                    if (member is Type named && Mentions(named, port)
                        || member.DeclaringType is { } declaring && Mentions(declaring, port)
                        || member is MethodInfo { IsGenericMethod: true } generic && generic.GetGenericArguments().Any(a => Mentions(a, port)))
                        uses.Add($"{type.FullName}.{method.Name} refers to {member.DeclaringType?.Name}.{member.Name}");
                }
            }
        }
        return uses;
    }

    private static bool Mentions(Type type, Type port) =>
        type == port || type.IsGenericType && type.GetGenericArguments().Any(a => Mentions(a, port)) || type.HasElementType && Mentions(type.GetElementType()!, port);

    /// <summary>The members a method's IL refers to (calls, loads of fields and function pointers, object creation).</summary>
    private static IEnumerable<MemberInfo> CalledMembers(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        var position = 0;
        while (position < il.Length)
        {
            OpCode code;
            if (il[position] == 0xFE)
            {
                code = TwoByte[il[position + 1]];
                position += 2;
            }
            else
            {
                code = OneByte[il[position]];
                position += 1;
            }
            var size = OperandSize(code.OperandType, il, position);
            if (code.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok or OperandType.InlineType)
            {
                var token = BitConverter.ToInt32(il, position);
                MemberInfo? member = null;
                try
                {
                    member = method.Module.ResolveMember(token,
                        method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null,
                        method is MethodInfo { IsGenericMethod: true } m ? m.GetGenericArguments() : null);
                }
                catch (ArgumentException)
                {
                    // A token that does not resolve in this context (generic signatures): it names no port member.
                }
                if (member is not null) yield return member;
            }
            position += size;
        }
    }

    private static int OperandSize(OperandType type, byte[] il, int position) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, position),
        _ => 4,
    };

    private static readonly OpCode[] OneByte = new OpCode[256];
    private static readonly OpCode[] TwoByte = new OpCode[256];

#pragma warning disable CA1810 // the opcode tables are filled from OpCodes' fields once
    static SagaStartTests()
#pragma warning restore CA1810
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var code = (OpCode)field.GetValue(null)!;
            var value = unchecked((ushort)code.Value);
            if (value < 0x100) OneByte[value] = code;
            else if ((value & 0xFF00) == 0xFE00) TwoByte[value & 0xFF] = code;
        }
    }
}
