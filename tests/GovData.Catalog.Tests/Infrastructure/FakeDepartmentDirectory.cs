using GovData.Identity.Contracts;
using GovData.SharedKernel.Regions;

namespace GovData.Catalog.Tests.Infrastructure;

/// <summary>The department tree the catalog sees, without the Identity module's tables.</summary>
internal sealed class FakeDepartmentDirectory(IEnumerable<DepartmentInfo> departments) : IDepartmentDirectory
{
    private readonly List<DepartmentInfo> _departments = departments.ToList();
    private readonly Lock _gate = new();

    public void Replace(DepartmentInfo department)
    {
        lock (_gate) _departments[_departments.FindIndex(d => d.Id == department.Id)] = department;
    }

    public void Add(DepartmentInfo department)
    {
        lock (_gate) _departments.Add(department);
    }

    public void Remove(Guid id)
    {
        lock (_gate) _departments.RemoveAll(d => d.Id == id);
    }

    public Task<IReadOnlyList<DepartmentInfo>> ListAsync(CancellationToken ct = default)
    {
        lock (_gate) return Task.FromResult<IReadOnlyList<DepartmentInfo>>(_departments.OrderBy(d => d.SortOrder).ToList());
    }

    public Task<DepartmentInfo?> FindAsync(Guid id, CancellationToken ct = default)
    {
        lock (_gate) return Task.FromResult(_departments.FirstOrDefault(d => d.Id == id));
    }

    public Task<DepartmentInfo?> CompetentForRegionAsync(string regionCode, CancellationToken ct = default)
    {
        lock (_gate)
        {
            foreach (var region in RegionDirectory.Default.PathOf(regionCode).Reverse())
                if (_departments.FirstOrDefault(d => d.IsCompetent && d.RegionCode == region.Code) is { } hit) return Task.FromResult<DepartmentInfo?>(hit);
            return Task.FromResult<DepartmentInfo?>(null);
        }
    }
}
