using System.Collections.Concurrent;
using System.Text.Json;
using Orders.Api.Problems;

namespace Orders.Api.Tests.Support;

/// <summary>
/// Sits between every test's HttpClient and the test server and checks each response against the OpenAPI document:
/// the operation exists, it declares the status, it declares the media type, and the body validates against the
/// declared schema. Problem bodies must also name their own code in their type and repeat the HTTP status. A
/// mismatch fails the test that made the request.
/// </summary>
public sealed class ContractCheckingHandler(OrdersContract contract) : DelegatingHandler
{
    /// <summary>(operationId, status) of every response checked.</summary>
    public ConcurrentBag<(string OperationId, int Status)> Checked { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var path = request.RequestUri!.AbsolutePath;
        var operation = contract.Find(request.Method.Method, path)
            ?? throw new ContractViolation($"{request.Method} {path}: no such operation in orders.v1.yaml.");
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!operation.Statuses.Contains(status))
            throw new ContractViolation($"{operation.OperationId}: status {status} is not declared (declared: {string.Join(", ", operation.Statuses)}).");

        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (body.Length > 0)
        {
            var mediaType = response.Content.Headers.ContentType?.MediaType ?? "(none)";
            var schema = contract.ResponseSchema(operation, status, mediaType)
                ?? throw new ContractViolation($"{operation.OperationId} {status}: media type {mediaType} is not declared.");
            if (OrdersContract.Failures(schema, body) is { } failures)
                throw new ContractViolation($"{operation.OperationId} {status}: the body does not match the document:\n{failures}\n{body}");
            if (mediaType == ProblemWriter.ContentType) CheckProblem(operation, (int)response.StatusCode, body);
        }
        Checked.Add((operation.OperationId, (int)response.StatusCode));
        return response;
    }

    private static void CheckProblem(ContractOperation operation, int status, string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var code = root.GetProperty("code").GetString();
        if (root.GetProperty("type").GetString() != ProblemType.BaseUri + code || root.GetProperty("status").GetInt32() != status)
            throw new ContractViolation($"{operation.OperationId}: problem type/status do not match its code {code} and HTTP status {status}: {body}");
    }
}

public sealed class ContractViolation(string message) : Exception(message);
