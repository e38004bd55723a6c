// The local host arrives with its own issue (one command runs Orders locally). Until then it only says so.
Console.Error.WriteLine("Orders.LocalHost is not built yet: see README.md (the local run command arrives with the local host issue).");
return 1;
