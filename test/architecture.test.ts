import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const SRC = path.join(ROOT, 'src');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module a file imports, as written (static imports, re-exports and require calls). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)].map(
    (m) => m[1] ?? m[2] ?? m[3],
  );
}

const packageOf = (specifier: string) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
const area = (file: string) => path.relative(SRC, file).split(path.sep)[0];

const files = sourceFiles(SRC);
const edges = files.flatMap((file) => importsOf(file).map((specifier) => ({ file, specifier })));

test('product code imports only runtime dependencies and Node built-ins, never a devDependency', () => {
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const wrong = edges
    .filter(({ specifier }) => !specifier.startsWith('.') && !builtins.has(specifier) && !builtins.has(packageOf(specifier)))
    .filter(({ specifier }) => !Object.hasOwn(pkg.dependencies, packageOf(specifier)))
    .map(({ file, specifier }) => `${path.relative(ROOT, file)} imports ${specifier}`);
  expect(wrong).toEqual([]);
});

test('product code never reaches into the simulators, the demo or the tests', () => {
  const outside = edges
    .filter(({ specifier }) => specifier.startsWith('.'))
    .filter(({ file, specifier }) => !path.resolve(path.dirname(file), specifier).startsWith(SRC + path.sep))
    .map(({ file, specifier }) => `${path.relative(ROOT, file)} imports ${specifier}`);
  expect(outside).toEqual([]);
});

/** Lower layers never import higher ones: the store knows no jobs or HTTP, jobs know no HTTP, the Webex client knows no AppDirect. */
const FORBIDDEN: Record<string, string[]> = {
  store: ['jobs', 'server', 'provisioning', 'admin', 'events-cli', 'byods', 'webex', 'connector.ts'],
  jobs: ['server', 'admin', 'events-cli', 'connector.ts'],
  provisioning: ['jobs', 'server', 'admin', 'events-cli', 'connector.ts'],
  webex: ['appdirect', 'provisioning', 'jobs', 'server', 'admin', 'store', 'byods', 'connector.ts'],
  appdirect: ['provisioning', 'jobs', 'server', 'admin', 'store', 'webex', 'connector.ts'],
};

test('layers talk downward only', () => {
  const upward = edges
    .filter(({ specifier }) => specifier.startsWith('.'))
    .map(({ file, specifier }) => ({ from: area(file), to: area(path.resolve(path.dirname(file), specifier) + '.ts'), file, specifier }))
    .filter(({ from, to }) => (FORBIDDEN[from] ?? []).includes(to))
    .map(({ file, specifier }) => `${path.relative(ROOT, file)} imports ${specifier}`);
  expect(upward).toEqual([]);
});
