// The function app arrives with its own issue (HTTP API, jobs, read models, integrations). Until then it only says so.
Console.Error.WriteLine("Orders.Functions is not built yet: see README.md.");
return 1;
