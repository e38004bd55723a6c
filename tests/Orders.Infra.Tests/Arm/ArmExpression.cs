using System.Globalization;
using System.Text;

namespace Orders.Infra.Tests.Arm;

/// <summary>
/// A parsed ARM template language expression (the text between the brackets of "[...]").
/// Only the syntax is modelled: string, integer and boolean literals, function calls, property access and indexing.
/// </summary>
public abstract record ArmExpression
{
    /// <summary>True when <paramref name="value"/> is an ARM expression ("[...]", not the escaped literal "[[...").</summary>
    public static bool IsExpression(string value) =>
        value.Length >= 2 && value[0] == '[' && value[^1] == ']' && value[1] != '[';

    /// <summary>Parses the expression inside "[...]"; throws <see cref="FormatException"/> on text it cannot read.</summary>
    public static ArmExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var inner = IsExpression(text) ? text[1..^1] : text;
        var parser = new Parser(inner);
        var expression = parser.ParseExpression();
        parser.SkipWhitespace();
        if (!parser.AtEnd)
        {
            throw new FormatException($"Unexpected text at {parser.Position} in ARM expression '{text}'.");
        }

        return expression;
    }

    /// <summary>Every node of this expression tree, this one first.</summary>
    public IEnumerable<ArmExpression> DescendantsAndSelf()
    {
        yield return this;
        IEnumerable<ArmExpression> children = this switch
        {
            FunctionCall call => call.Arguments,
            PropertyAccess access => [access.Target],
            IndexAccess index => [index.Target, index.Index],
            _ => [],
        };
        foreach (var child in children)
        {
            foreach (var node in child.DescendantsAndSelf())
            {
                yield return node;
            }
        }
    }

    public sealed record StringLiteral(string Value) : ArmExpression;

    public sealed record IntegerLiteral(long Value) : ArmExpression;

    public sealed record BooleanLiteral(bool Value) : ArmExpression;

    public sealed record FunctionCall(string Name, IReadOnlyList<ArmExpression> Arguments) : ArmExpression
    {
        public bool Is(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);
    }

    public sealed record PropertyAccess(ArmExpression Target, string Property) : ArmExpression;

    public sealed record IndexAccess(ArmExpression Target, ArmExpression Index) : ArmExpression;

    private sealed class Parser(string text)
    {
        private int _position;

        public int Position => _position;

        public bool AtEnd => _position >= text.Length;

        public void SkipWhitespace()
        {
            while (!AtEnd && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }

        public ArmExpression ParseExpression()
        {
            var expression = ParsePrimary();
            while (true)
            {
                SkipWhitespace();
                if (TryConsume('.'))
                {
                    expression = new PropertyAccess(expression, ReadIdentifier());
                }
                else if (TryConsume('['))
                {
                    var index = ParseExpression();
                    Expect(']');
                    expression = new IndexAccess(expression, index);
                }
                else
                {
                    return expression;
                }
            }
        }

        private ArmExpression ParsePrimary()
        {
            SkipWhitespace();
            if (AtEnd)
            {
                throw new FormatException($"Unexpected end of ARM expression '{text}'.");
            }

            var c = text[_position];
            if (c == '\'')
            {
                return new StringLiteral(ReadString());
            }

            if (char.IsDigit(c) || c == '-')
            {
                var start = _position++;
                while (!AtEnd && char.IsDigit(text[_position]))
                {
                    _position++;
                }

                return new IntegerLiteral(long.Parse(text[start.._position], CultureInfo.InvariantCulture));
            }

            var name = ReadIdentifier();
            SkipWhitespace();
            if (!TryConsume('('))
            {
                return name switch
                {
                    "true" => new BooleanLiteral(true),
                    "false" => new BooleanLiteral(false),
                    _ => throw new FormatException($"Expected '(' after '{name}' in ARM expression '{text}'."),
                };
            }

            var arguments = new List<ArmExpression>();
            SkipWhitespace();
            if (!TryConsume(')'))
            {
                do
                {
                    arguments.Add(ParseExpression());
                    SkipWhitespace();
                }
                while (TryConsume(','));
                Expect(')');
            }

            return new FunctionCall(name, arguments);
        }

        private string ReadString()
        {
            Expect('\'');
            var value = new StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw new FormatException($"Unterminated string in ARM expression '{text}'.");
                }

                var c = text[_position++];
                if (c != '\'')
                {
                    value.Append(c);
                }
                else if (!AtEnd && text[_position] == '\'')
                {
                    value.Append('\'');
                    _position++;
                }
                else
                {
                    return value.ToString();
                }
            }
        }

        private string ReadIdentifier()
        {
            SkipWhitespace();
            var start = _position;
            while (!AtEnd && (char.IsLetterOrDigit(text[_position]) || text[_position] is '_' or '$'))
            {
                _position++;
            }

            if (start == _position)
            {
                throw new FormatException($"Expected an identifier at {start} in ARM expression '{text}'.");
            }

            return text[start.._position];
        }

        private bool TryConsume(char c)
        {
            SkipWhitespace();
            if (!AtEnd && text[_position] == c)
            {
                _position++;
                return true;
            }

            return false;
        }

        private void Expect(char c)
        {
            if (!TryConsume(c))
            {
                throw new FormatException($"Expected '{c}' at {_position} in ARM expression '{text}'.");
            }
        }
    }
}
