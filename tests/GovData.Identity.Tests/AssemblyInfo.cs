using GovData.Tests.Common;
using Xunit;

[assembly: AssemblyFixture(typeof(TestRunLifetime))]
