using GovData.Tests.Common;

[assembly: AssemblyFixture(typeof(TestRunLifetime))]
