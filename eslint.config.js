// Lint: the layering of src/ (README, "Layers"). Every import points down the list below, type-only imports
// included; a folder never imports one above it, and siblings on one floor stay apart where the list says so.
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** Floors from top to bottom. Each may import only from the floors after it (and from itself). */
const floors = [
  { name: 'api', folders: ['src/api'] },
  { name: 'orchestration', folders: ['src/gateway', 'src/jobs'], siblingsApart: true },
  { name: 'kernel', folders: ['src/kernel'] },
  { name: 'domain', folders: ['src/accounts', 'src/billing', 'src/channels'] },
  { name: 'providers', folders: ['src/providers'] },
  { name: 'catalog', folders: ['src/catalog'] },
  { name: 'plumbing', folders: ['src/upstream', 'src/store'], siblingsApart: true },
  { name: 'shared', folders: ['src/shared'] },
];

/** The composition root and the simulators: importable by no floor. */
const roots = ['src/main.ts', 'src/cli.ts', 'src/services.ts', 'src/app.ts', 'src/demo.ts', 'src/config.ts', 'src/mock-upstreams'];

const zones = floors.flatMap((floor, index) => {
  const above = floors.slice(0, index).flatMap((f) => f.folders);
  return floor.folders.map((folder) => {
    const siblings = floor.siblingsApart ? floor.folders.filter((f) => f !== folder) : [];
    return {
      target: `./${folder}`,
      from: [...above, ...siblings, ...roots].map((f) => `./${f}`),
      message: `${folder} is on the ${floor.name} floor: it may import only from the floors below it (README, "Layers").`,
    };
  });
});

export default tseslint.config(
  { ignores: ['dist/**', 'web/**', 'node_modules/**', 'test/**', 'bench/**', 'scripts/**', 'bin/**', 'data/**', 'test-output/**'] },
  {
    files: ['src/**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { 'import-x': importX, '@typescript-eslint': tseslint.plugin },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
);
