import { basename, relative } from 'node:path';

/**
 * How the person started byods, so that help and hints give a command they can type as it is:
 * `npm run byods --`, `npx byods`, `byods` (npm link, or the package's bin), or `node <script>`.
 */
export function commandAsTyped(env: NodeJS.ProcessEnv, scriptPath: string | undefined, cwd: string): string {
  if (env.npm_lifecycle_event === 'byods') return 'npm run byods --';
  if (env.npm_command === 'exec') return 'npx byods';
  if (!scriptPath || basename(scriptPath) === 'byods') return 'byods';
  const near = relative(cwd, scriptPath);
  return `node ${near.startsWith('..') ? scriptPath : near}`;
}
