import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const MAIN = path.resolve(__dirname, '../../dist/src/main.js');

/** The compiled connector as a real process (npm test builds it first). */
export interface ConnectorProcess {
  url: Promise<string>;
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export function spawnConnector(env: NodeJS.ProcessEnv, opts: { umask?: number } = {}): ConnectorProcess {
  const childEnv = { PATH: process.env.PATH, ...env };
  const stdio: ['ignore', 'pipe', 'pipe'] = ['ignore', 'pipe', 'pipe'];
  // A umask is a property of the process: the shell sets it, then becomes the connector.
  const child =
    opts.umask === undefined
      ? spawn(process.execPath, [MAIN], { env: childEnv, stdio })
      : spawn('sh', ['-c', `umask ${opts.umask.toString(8).padStart(3, '0')} && exec "$0" "$1"`, process.execPath, MAIN], { env: childEnv, stdio });
  const lines: string[] = [];
  let resolveUrl: (url: string) => void;
  const url = new Promise<string>((resolve) => (resolveUrl = resolve));
  const collect = (stream: NodeJS.ReadableStream) => {
    let buffer = '';
    stream.on('data', (chunk) => {
      buffer += String(chunk);
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts.filter(Boolean)) {
        lines.push(line);
        const match = /"url":"(http:\/\/[^"]+)".*connector listening/.exec(line);
        if (match) resolveUrl(match[1]);
      }
    });
  };
  collect(child.stdout!);
  collect(child.stderr!);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    url,
    child,
    lines,
    exited,
    kill(signal) {
      child.kill(signal);
      return exited;
    },
  };
}
