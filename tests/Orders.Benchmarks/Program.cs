// Benchmarks print figures; they arrive with the store (issue: use cases and the embedded store).
Console.WriteLine("No benchmarks yet.");
