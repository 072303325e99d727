// Validates RDF data against SHACL shapes and prints a JSON report on standard output.
// Usage: node validate.mjs <data file (.ttl | .jsonld)> <shapes.ttl> [more shapes.ttl ...]
// Report: {"conforms": bool, "triples": n, "violations": [{focus, path, message, shape}], "warnings": [...]}
// Exit code 0 when the data was read and validated (conforming or not), 2 when the data or shapes cannot be parsed.
import { readFile } from 'node:fs/promises';
import rdf from '@zazuko/env';
import N3 from 'n3';
import jsonld from 'jsonld';
import SHACLValidator from 'rdf-validate-shacl';

const [dataFile, ...shapeFiles] = process.argv.slice(2);

function parseTurtle(text, baseIRI) {
  return new N3.Parser({ baseIRI }).parse(text);
}

async function load(file) {
  const text = await readFile(file, 'utf8');
  if (file.endsWith('.jsonld')) {
    // No document loader: the context is inline, nothing may be fetched.
    const nquads = await jsonld.toRDF(JSON.parse(text), {
      format: 'application/n-quads',
      documentLoader: (url) => { throw new Error('remote context not allowed: ' + url); },
    });
    return new N3.Parser({ format: 'N-Quads' }).parse(nquads);
  }
  return parseTurtle(text, 'http://example.invalid/');
}

try {
  const shapes = rdf.dataset();
  for (const f of shapeFiles) for (const q of await load(f)) shapes.add(q);
  const data = rdf.dataset(await load(dataFile));
  const validator = new SHACLValidator(shapes, { factory: rdf });
  const report = await validator.validate(data);
  const results = report.results.map((r) => ({
    severity: r.severity?.value?.replace('http://www.w3.org/ns/shacl#', ''),
    focus: r.focusNode?.value,
    path: r.path?.value,
    message: (r.message || []).map((m) => m.value).join(' '),
    shape: r.sourceShape?.value,
  }));
  process.stdout.write(JSON.stringify({
    conforms: report.conforms,
    triples: data.size,
    violations: results.filter((r) => r.severity === 'Violation'),
    warnings: results.filter((r) => r.severity !== 'Violation'),
  }));
} catch (e) {
  process.stderr.write(String(e && e.stack || e));
  process.exit(2);
}
