namespace Orders.Application.ReadModels;

/// <summary>
/// A continuation token this service did not issue (or that was tampered with). The caller's input, not a fault: the
/// HTTP adapter answers it with 400 <c>request.invalid-query</c>.
/// </summary>
public sealed class InvalidContinuationTokenException()
    : ArgumentException("The continuation token is not one this service issued.", "continuationToken");
