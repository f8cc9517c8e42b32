// The namespaces most test files use, once for the project (tests/Engine and tests/Cmdlets); a file
// still names those only it needs. CloudNonce.Engine.Native stays per file, in the few that call the
// native layer.
global using System.Diagnostics;
global using System.Net;
global using System.Reflection;
global using System.Security.Cryptography;
global using System.Text;
global using System.Text.Json;
global using CloudNonce.Engine.Aws;
global using CloudNonce.Engine.Hashing;
global using CloudNonce.Engine.Performance;
global using CloudNonce.Engine.Planning;
global using CloudNonce.Engine.Pricing;
global using CloudNonce.Engine.Providers.Ec2;
global using CloudNonce.Engine.Search;
global using CloudNonce.Engine.Tests.Support;
