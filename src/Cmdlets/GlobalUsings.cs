// The namespaces most cmdlet files use, said once for the project.
global using System.Globalization;
global using System.Management.Automation;
global using CloudNonce.Cmdlets.Infrastructure;
global using CloudNonce.Cmdlets.Parameters;
global using CloudNonce.Engine.Hashing;
global using CloudNonce.Engine.Native;
global using CloudNonce.Engine.Planning;
global using CloudNonce.Engine.Providers;
global using CloudNonce.Engine.Providers.Ec2;
global using CloudNonce.Engine.Providers.Local;
global using CloudNonce.Engine.Search;
