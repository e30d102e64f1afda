import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { StoredTokens, TokenVault } from '../webex/tokenVault';
import { ExplainedError } from './failures';

/** Its name beside the records; BYODS_TOKEN_FILE puts it elsewhere. */
export const TOKEN_FILE_NAME = 'byods_tokens.json';

const time = z.iso.datetime().transform((iso) => Date.parse(iso));
const tokenFileContent = z.object({
  version: z.literal(1),
  accessToken: z.string().min(1),
  accessExpiresAt: time,
  obtainedAt: time,
  refreshToken: z.string().min(1).optional(),
  refreshExpiresAt: time.optional(),
  seed: z.string().min(1),
});

export interface TokenFileOptions {
  /** How long to wait for another byods holding the lock; default 60 s. */
  lockWaitMs?: number;
  /** A lock older than this was left by a process that died; default 5 min. */
  staleLockMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The service app tokens byods obtained, kept between runs so that a cron job renews with the newest
 * refresh token and needs no personal token after the first run. Only its owner may read it (0600);
 * every save writes a new file and renames it over the old one, so a crash leaves the old tokens or the
 * new, never half a file. `exclusive` holds `<file>.lock`, so two byods runs never renew at once.
 */
export class TokenFile implements TokenVault {
  private readonly lockPath: string;

  constructor(
    readonly path: string,
    private readonly opts: TokenFileOptions = {},
  ) {
    this.lockPath = `${path}.lock`;
  }

  async load(): Promise<StoredTokens | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new ExplainedError(`Cannot read the token file ${this.path}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}.`);
    }
    // Made readable by others since (a copy, a restore)? Owner-only again before anything else.
    if (((await stat(this.path)).mode & 0o077) !== 0) await chmod(this.path, 0o600);
    const parsed = tokenFileContent.safeParse(parseJson(text));
    if (!parsed.success) throw new ExplainedError(`The token file ${this.path} is not one byods wrote; delete it and byods obtains new tokens.`);
    const { version: _version, ...tokens } = parsed.data;
    return tokens;
  }

  async save(tokens: StoredTokens): Promise<void> {
    const content = {
      version: 1,
      accessToken: tokens.accessToken,
      accessExpiresAt: new Date(tokens.accessExpiresAt).toISOString(),
      obtainedAt: new Date(tokens.obtainedAt).toISOString(),
      ...(tokens.refreshToken !== undefined ? { refreshToken: tokens.refreshToken } : {}),
      ...(tokens.refreshExpiresAt !== undefined ? { refreshExpiresAt: new Date(tokens.refreshExpiresAt).toISOString() } : {}),
      seed: tokens.seed,
    };
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = join(dirname(this.path), `.${TOKEN_FILE_NAME}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(content, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temporary, this.path);
    } catch (err) {
      await unlink(temporary).catch(() => undefined);
      throw err;
    }
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    await this.lock();
    try {
      return await work();
    } finally {
      await unlink(this.lockPath).catch(() => undefined);
    }
  }

  private async lock(): Promise<void> {
    const waitMs = this.opts.lockWaitMs ?? 60_000;
    const staleMs = this.opts.staleLockMs ?? 5 * 60_000;
    const sleep = this.opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        await (await open(this.lockPath, 'wx', 0o600)).close();
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const since = await stat(this.lockPath).then(
        (info) => info.mtimeMs,
        () => undefined,
      );
      if (since !== undefined && Date.now() - since > staleMs) {
        await unlink(this.lockPath).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) throw new ExplainedError(`Another byods has held ${this.lockPath} for over ${Math.round(waitMs / 1000)} s; if none is running, delete that file.`);
      await sleep(50);
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
