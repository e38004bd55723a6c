namespace Orders.Domain.Common;

/// <summary>Either a value or a <see cref="Rejection"/>; the shape use cases return at their boundary.</summary>
public readonly record struct Result<T>
{
    private Result(T? value, Rejection? rejection)
    {
        Value = value;
        Rejection = rejection;
    }

    public T? Value { get; }

    public Rejection? Rejection { get; }

    public bool IsSuccess => Rejection is null;

    public static Result<T> Ok(T value) => new(value, null);

    public static Result<T> Fail(Rejection rejection) => new(default, rejection ?? throw new ArgumentNullException(nameof(rejection)));

    public static implicit operator Result<T>(Rejection rejection) => Fail(rejection);

    /// <summary>The value, or an exception naming the rejection: for tests and for code that has already checked.</summary>
    public T Unwrap() => IsSuccess ? Value! : throw new InvalidOperationException($"Rejected: {Rejection}");
}
