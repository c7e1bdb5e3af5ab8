// Fails when modules of src/ import each other in a cycle, type-only imports included (ESLint's no-cycle skips
// those). The layering rule keeps folders acyclic; this keeps the modules within a folder acyclic too.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(process.argv[2] ?? 'src');

function listTs(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return listTs(full);
    return full.endsWith('.ts') && !full.endsWith('.d.ts') ? [full] : [];
  });
}

function resolve(from, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base.replace(/\.js$/, '.ts'), `${base}.ts`, path.join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

const files = listTs(root);
const edges = new Map(
  files.map((file) => {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = info.importedFiles.map((ref) => resolve(file, ref.fileName)).filter((target) => target !== undefined);
    return [file, [...new Set(targets)]];
  }),
);

// Tarjan's strongly connected components: any component of more than one module (or a self-import) is a cycle.
let index = 0;
const indexOf = new Map();
const lowOf = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
function visit(node) {
  indexOf.set(node, index);
  lowOf.set(node, index);
  index++;
  stack.push(node);
  onStack.add(node);
  for (const next of edges.get(node) ?? []) {
    if (!indexOf.has(next)) {
      visit(next);
      lowOf.set(node, Math.min(lowOf.get(node), lowOf.get(next)));
    } else if (onStack.has(next)) {
      lowOf.set(node, Math.min(lowOf.get(node), indexOf.get(next)));
    }
  }
  if (lowOf.get(node) === indexOf.get(node)) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (edges.get(node) ?? []).includes(node)) cycles.push(component);
  }
}
for (const file of files) if (!indexOf.has(file)) visit(file);

if (cycles.length > 0) {
  console.error(`Import cycles in ${path.relative(process.cwd(), root)} (type-only imports count):`);
  for (const cycle of cycles) console.error(`  ${cycle.map((file) => path.relative(process.cwd(), file)).sort().join(' <-> ')}`);
  process.exit(1);
}
console.log(`No import cycles among ${files.length} modules.`);
