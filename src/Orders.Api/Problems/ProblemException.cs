using Orders.Domain.Common;

namespace Orders.Api.Problems;

/// <summary>Ends a request with a problem response: thrown by the request readers, caught by the endpoint pipeline.</summary>
public sealed class ProblemException(ProblemType type, string detail, IReadOnlyList<string>? errors = null) : Exception(detail)
{
    public ProblemException(string code, string detail, IReadOnlyList<string>? errors = null)
        : this(ProblemTypes.For(code), detail, errors)
    {
    }

    public ProblemType Type { get; } = type ?? throw new ArgumentNullException(nameof(type));

    public IReadOnlyList<string> Errors { get; } = errors ?? [];

    public static ProblemException From(Rejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        return new ProblemException(rejection.Code, rejection.Message, rejection.Errors);
    }
}
